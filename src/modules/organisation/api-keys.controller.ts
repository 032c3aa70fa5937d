import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { ApiKeyView, CreateApiKeyDto, CreatedApiKeyView } from 'src/modules/organisation/create-api-key.dto';
import { ApiKeyService } from 'src/modules/organisation/api-key.service';

/** API keys for service accounts (e.g. the ERP). Sent as `Authorization: Bearer bumk_...`. */
@ApiTags('organisation')
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyService) {}

  @Get()
  @Policy({ roles: ['admin'] })
  list(): Promise<ApiKeyView[]> {
    return this.keys.list();
  }

  /** Creates a key; the response holds the whole key, shown this once (so it is never stored for replay). */
  @Post()
  @Policy({ roles: ['admin'] })
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateApiKeyDto): Promise<CreatedApiKeyView> {
    return this.keys.create(principal, dto);
  }

  /** Revokes the key at once. */
  @Post(':id/revoke')
  @HttpCode(200)
  @Policy({ roles: ['admin'] })
  revoke(@Param('id', new ParseUUIDPipe()) id: string): Promise<ApiKeyView> {
    return this.keys.revoke(id);
  }
}
