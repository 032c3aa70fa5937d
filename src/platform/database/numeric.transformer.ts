import { ValueTransformer } from 'typeorm';

/** pg returns numeric as a string; scopes such as 2.5 hours are small exact decimals, safe as numbers. */
export const numericTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null || value === undefined ? value : Number(value)),
};
