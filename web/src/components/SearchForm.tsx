import { useState, type FormEvent } from 'react';

interface SearchFormProps {
  label: string;
  value: string;
  onSearch(text: string): void;
}

/** A search box that searches on Enter or with its button. */
export function SearchForm({ label, value, onSearch }: SearchFormProps) {
  const [text, setText] = useState(value);
  const [shown, setShown] = useState(value);
  // Follow the URL when it changes from outside (Back, a link).
  if (value !== shown) {
    setShown(value);
    setText(value);
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSearch(text);
  };
  return (
    <form className="search-form" role="search" onSubmit={submit}>
      <input
        type="search"
        aria-label={label}
        placeholder={label}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <button type="submit">Search</button>
    </form>
  );
}
