import { ArgumentMetadata } from '@nestjs/common';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { DomainError } from 'src/platform/errors/domain-error';
import { createValidationPipe } from 'src/platform/errors/validation';

class Dto {
  @IsString()
  @MinLength(1)
  @MaxLength(10)
  name: string;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  capacity?: number;
}

async function errorsOf(body: unknown) {
  const meta: ArgumentMetadata = { type: 'body', metatype: Dto };
  try {
    await createValidationPipe().transform(body, meta);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    return (err as DomainError).errors;
  }
  throw new Error('expected a validation error');
}

describe('validation reasons', () => {
  it('a missing field is required, whatever other rules it has', async () => {
    expect(await errorsOf({})).toEqual([{ pointer: '/name', reason: 'name is required' }]);
    expect(await errorsOf({ name: null })).toEqual([{ pointer: '/name', reason: 'name is required' }]);
  });

  it('a wrong type names the type, not a range the wrong value also fails', async () => {
    expect(await errorsOf({ name: 'ok', capacity: 'ten' })).toEqual([
      { pointer: '/capacity', reason: 'capacity must be an integer number' },
    ]);
  });

  it('a value of the right type names the rule it breaks', async () => {
    expect(await errorsOf({ name: 'ok', capacity: -1 })).toEqual([
      { pointer: '/capacity', reason: 'capacity must not be less than 0' },
    ]);
    expect(await errorsOf({ name: 'much too long a name' })).toEqual([
      { pointer: '/name', reason: 'name must be shorter than or equal to 10 characters' },
    ]);
  });

  it('an unknown field is said to be unknown', async () => {
    expect(await errorsOf({ name: 'ok', colour: 'red' })).toEqual([
      { pointer: '/colour', reason: 'unknown field' },
    ]);
  });
});
