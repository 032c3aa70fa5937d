import { Global, Module } from '@nestjs/common';
import { IDENTITY_STORE } from 'src/platform/auth/principal';
import { ApiKeyService } from 'src/modules/organisation/api-key.service';
import { ApiKeysController } from 'src/modules/organisation/api-keys.controller';
import { AuthController } from 'src/modules/organisation/auth.controller';
import { IdentityService } from 'src/modules/organisation/identity.service';
import { InstitutionsController } from 'src/modules/organisation/institutions.controller';
import { LoginService } from 'src/modules/organisation/login.service';
import { MunicipalitiesController } from 'src/modules/organisation/municipalities.controller';
import { OperatingAreasController } from 'src/modules/organisation/operating-areas.controller';
import { OrgUnitService } from 'src/modules/organisation/org-unit.service';
import { UserService } from 'src/modules/organisation/user.service';
import { UsersController } from 'src/modules/organisation/users.controller';

/** Municipalities, the authority, operating areas, institutions, users and API keys; the identity store. */
@Global()
@Module({
  controllers: [
    AuthController,
    MunicipalitiesController,
    OperatingAreasController,
    InstitutionsController,
    UsersController,
    ApiKeysController,
  ],
  providers: [
    OrgUnitService,
    UserService,
    LoginService,
    ApiKeyService,
    IdentityService,
    { provide: IDENTITY_STORE, useExisting: IdentityService },
  ],
  exports: [OrgUnitService, UserService, IDENTITY_STORE],
})
export class OrganisationModule {}
