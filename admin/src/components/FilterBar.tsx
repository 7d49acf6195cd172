// A row of filter inputs above a grid. It edits a draft; Apply (or Enter) puts the filters in the URL, which also
// goes back to the first page. Clear removes them all.
import { createContext, useContext, type FormEvent, type ReactNode } from 'react';

type Values = Record<string, string | number | undefined>;
const ValuesContext = createContext<Values>({});

interface FilterBarProps {
  /** the filters in the URL now */
  values: Values;
  /** called with the non-empty inputs, by name */
  onApply: (filters: Record<string, string>) => void;
  children: ReactNode;
  /** more controls at the end of the bar (an export button) */
  extra?: ReactNode;
}

/** The filter form; its fields are `<Field>`s. */
export function FilterBar({ values, onApply, children, extra }: FilterBarProps) {
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const filters: Record<string, string> = {};
    for (const [k, v] of new FormData(e.currentTarget)) if (typeof v === 'string' && v.trim() !== '') filters[k] = v.trim();
    onApply(filters);
  }
  return (
    <ValuesContext.Provider value={values}>
      <form className="filters" role="search" onSubmit={submit} key={JSON.stringify(values)}>
        {children}
        <button type="submit" className="primary">
          Apply
        </button>
        <button type="button" className="ghost" onClick={() => onApply({})}>
          Clear
        </button>
        {extra}
      </form>
    </ValuesContext.Provider>
  );
}

interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'number' | 'date';
  /** a select with "any" and these values */
  options?: readonly string[];
  placeholder?: string;
  /** the box `/` focuses */
  search?: boolean;
}

/** One filter input, filled from the URL's value. */
export function Field({ name, label, type = 'text', options, placeholder, search }: FieldProps) {
  const value = useContext(ValuesContext)[name];
  const initial = value === undefined ? '' : String(value);
  return (
    <label className={search ? 'field wide' : 'field'}>
      <span>{label}</span>
      {options ? (
        <select name={name} defaultValue={initial}>
          <option value="">any</option>
          {options.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      ) : (
        <input
          name={name}
          type={type}
          defaultValue={initial}
          placeholder={placeholder}
          data-search={search ? '' : undefined}
          min={type === 'number' ? 0 : undefined}
        />
      )}
    </label>
  );
}
