import { useApi } from '../api/ApiContext.js';
import type { Location } from '../api/types.js';
import { Picker } from './Picker.js';

interface LocationPickerProps {
  label?: string;
  value: string;
  onChange(code: string): void;
  /** A location code from the URL to start with. */
  initial?: string | null | undefined;
}

/** Choose a storage location: type to search by name or code, then pick. */
export function LocationPicker({
  label = 'Location',
  value,
  onChange,
  initial,
}: LocationPickerProps) {
  const api = useApi();
  return (
    <Picker<Location>
      label={label}
      plural="locations"
      value={value}
      onChange={onChange}
      initial={initial}
      search={(q, signal) => api.locations.list({ q, limit: 50 }, signal)}
      fetchOne={(code, signal) => api.locations.get(code, signal)}
      describe={(l) => `${l.name} (${l.shortCode})`}
    />
  );
}
