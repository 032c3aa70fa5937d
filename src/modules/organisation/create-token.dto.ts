import { IsString, MaxLength, MinLength } from 'class-validator';

export class CreateTokenDto {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  username: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}

export class TokenView {
  accessToken: string;
  /** Always "Bearer". */
  tokenType: 'Bearer';
  /** Seconds until the token expires. */
  expiresIn: number;
}
