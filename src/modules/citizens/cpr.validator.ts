import { registerDecorator, ValidationOptions } from 'class-validator';
import { parseCpr } from 'src/modules/citizens/cpr';

/** Ten digits, DDMMYY-SSSS or DDMMYYSSSS, forming a real date. The message never repeats the value. */
export function IsCpr(options: ValidationOptions = {}) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isCpr',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be a CPR number: 10 digits (DDMMYY-SSSS) forming a real date`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && parseCpr(value) !== null },
    });
}
