import { useState, type DragEvent, type ReactNode } from 'react';
import './attachments.css';

/**
 * Where editors give files: drop them, choose them, or take a photo with a phone's camera.
 * `onFiles` gets what was given (one file unless `multiple`); nothing is uploaded here.
 * `children` show below the buttons (progress, the chosen file, an error). The labels name the
 * inputs for assistive technology (and tests), so two zones on one page need different ones.
 */
export function DropZone({
  onFiles,
  disabled = false,
  multiple = true,
  hint = 'Drop files here, or',
  chooseLabel = 'Add files',
  photoLabel = 'Take a photo',
  testId = 'drop-zone',
  children,
}: {
  onFiles(files: File[]): void;
  disabled?: boolean;
  multiple?: boolean;
  hint?: string;
  chooseLabel?: string;
  photoLabel?: string;
  testId?: string;
  children?: ReactNode;
}) {
  const [dragging, setDragging] = useState(false);

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (disabled) return;
    const files = [...event.dataTransfer.files];
    if (files.length > 0) onFiles(multiple ? files : files.slice(0, 1));
  };
  const picked = (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    // Cleared so that choosing the same file again is a change too.
    input.value = '';
    if (files.length > 0) onFiles(files);
  };

  return (
    <div
      className={dragging ? 'drop-zone dragging' : 'drop-zone'}
      data-testid={testId}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <p className="drop-hint">{hint}</p>
      <label className="button">
        {chooseLabel}
        <input
          type="file"
          multiple={multiple}
          className="visually-hidden"
          aria-label={chooseLabel}
          disabled={disabled}
          onChange={(e) => picked(e.target)}
        />
      </label>
      <label className="button">
        {photoLabel}
        <input
          type="file"
          className="visually-hidden"
          aria-label={photoLabel}
          accept="image/*"
          capture="environment"
          disabled={disabled}
          onChange={(e) => picked(e.target)}
        />
      </label>
      {children}
    </div>
  );
}

/** An upload under way: the file's name and how much of it has gone (0..1). */
export function UploadProgress({ name, fraction }: { name: string; fraction: number }) {
  return (
    <div className="upload-progress">
      <span>Uploading {name}…</span>
      <progress max={1} value={fraction} aria-label={`Uploading ${name}`} />
    </div>
  );
}
