import { useEffect, useRef, useState } from 'react';
import { createFrameReader } from './barcode-reader.js';

type Camera =
  | { state: 'off' }
  | { state: 'starting' }
  | { state: 'on'; engine: string }
  | { state: 'unavailable'; message: string };

/** Remembers that the camera was on, so the next visit starts it without a click. */
const CAMERA_ON_KEY = 'tracelot.scan.camera';
/** A label held in view is read many times a second: the same text counts once per pause. */
const SAME_TEXT_PAUSE_MS = 2500;
const FRAME_INTERVAL_MS = 200;

/** Why there is no camera, before asking for one; undefined when the browser could give one. */
function missingCamera(): string | undefined {
  if (!window.isSecureContext)
    return 'No camera on this page: browsers give the camera only to HTTPS pages (or localhost), and this page came over plain HTTP. Use the keyboard input below, or open Tracelot over HTTPS.';
  if (!navigator.mediaDevices?.getUserMedia)
    return 'This browser gives no camera access. Use the keyboard input below.';
  return undefined;
}

function cameraError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return 'Camera access was denied. Allow the camera for this site in the browser’s settings, or use the keyboard input below.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return 'No camera is available on this device. Use the keyboard input below.';
  if (name === 'NotReadableError')
    return 'The camera is in use by another app. Close it and try again, or use the keyboard input below.';
  const reason = error instanceof Error ? error.message : String(error);
  return `The camera could not be started (${reason}). Use the keyboard input below.`;
}

/**
 * Camera preview that reads barcodes (rear camera on a phone) and hands each new text to
 * `onRead`. Starts on a click, or by itself when it was on last time.
 */
export function CameraScanner({ onRead }: { onRead(text: string): void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [camera, setCamera] = useState<Camera>(() => {
    const missing = missingCamera();
    return missing ? { state: 'unavailable', message: missing } : { state: 'off' };
  });
  // The camera runs from a start until a stop or a failure; its move from starting to on is
  // within one run.
  const running = camera.state === 'starting' || camera.state === 'on';
  const reader = useRef(onRead);
  reader.current = onRead;

  useEffect(() => {
    if (camera.state === 'off' && localStorage.getItem(CAMERA_ON_KEY) === 'on') start();
    // Only when the page opens.
  }, []);

  const start = () => setCamera({ state: 'starting' });
  const stop = () => {
    localStorage.removeItem(CAMERA_ON_KEY);
    setCamera({ state: 'off' });
  };

  useEffect(() => {
    if (!running) return;
    let stopped = false;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = { text: '', at: 0 };
    const release = () => stream?.getTracks().forEach((track) => track.stop());
    (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 } },
          audio: false,
        });
        const { reader: read, engine } = await createFrameReader();
        // Left the page (or stopped) while the camera or the decoder was starting.
        if (stopped) return release();
        const element = video.current!;
        element.srcObject = stream;
        await element.play();
        localStorage.setItem(CAMERA_ON_KEY, 'on');
        setCamera({ state: 'on', engine });
        const tick = async () => {
          if (stopped) return;
          const texts = await read(element).catch((): string[] => []);
          const now = Date.now();
          for (const text of texts) {
            if (text === last.text && now - last.at < SAME_TEXT_PAUSE_MS) continue;
            last = { text, at: now };
            navigator.vibrate?.(40);
            reader.current(text);
          }
          if (texts.includes(last.text)) last.at = now;
          if (!stopped) timer = setTimeout(() => void tick(), FRAME_INTERVAL_MS);
        };
        void tick();
      } catch (error) {
        if (!stopped) setCamera({ state: 'unavailable', message: cameraError(error) });
      }
    })();
    return () => {
      stopped = true;
      clearTimeout(timer);
      release();
    };
  }, [running]);

  return (
    <section className="camera" aria-label="Camera">
      <video
        ref={video}
        className="camera-video"
        hidden={camera.state !== 'on'}
        muted
        playsInline
        aria-label="Camera preview"
      />
      {camera.state === 'on' && (
        <p className="hint">
          Hold a label in the frame; it is read by {camera.engine}.{' '}
          <button type="button" className="link-button" onClick={stop}>
            Stop camera
          </button>
        </p>
      )}
      {camera.state === 'off' && (
        <button type="button" className="primary" onClick={start}>
          Start camera
        </button>
      )}
      {camera.state === 'starting' && <p role="status">Starting the camera…</p>}
      {camera.state === 'unavailable' && (
        <div className="camera-unavailable" role="status" data-testid="camera-message">
          <p>{camera.message}</p>
          {missingCamera() === undefined && (
            <button type="button" className="link-button" onClick={start}>
              Try again
            </button>
          )}
        </div>
      )}
    </section>
  );
}
