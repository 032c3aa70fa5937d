import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Transform } from 'class-transformer';
import { PageQuery } from 'src/platform/http/pagination';
import {
  AREA_TYPES,
  AreaType,
  INSTITUTION_TYPES,
  InstitutionType,
  ORG_UNIT_KINDS,
  OrgUnitKind,
  ROLES,
  Role,
} from 'src/modules/organisation/organisation.constants';

export class MunicipalityView {
  id: string;
  /** Kommunekode (3 digits). */
  code: string;
  name: string;
  /** The municipality this installation serves. */
  isOwn: boolean;
  version: number;
}

export class AddressView {
  street: string | null;
  postalCode: string | null;
  city: string | null;
}

export class OrgUnitView {
  id: string;
  @ApiProperty({ enum: ORG_UNIT_KINDS, description: 'authority = myndighed, operatingArea = driftsområde, institution = tilbud' })
  kind: OrgUnitKind;
  municipalityId: string;
  municipalityName: string;
  parentId: string | null;
  name: string;
  @ApiProperty({ enum: AREA_TYPES, nullable: true, description: 'disability = handicap, psychiatry = psykiatri, sociallyVulnerable = udsatte' })
  areaType: AreaType | null;
  @ApiProperty({ enum: INSTITUTION_TYPES, nullable: true })
  institutionType: InstitutionType | null;
  /** Places (pladser) for place-based institutions. */
  capacity: number | null;
  /** True for institutions of another municipality (external purchases). */
  external: boolean;
  address: AddressView;
  phone: string | null;
  email: string | null;
  version: number;
}

export class OrgUnitPage {
  items: OrgUnitView[];
  nextCursor: string | null;
}

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListInstitutionsQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  operatingAreaId?: string;

  @IsOptional()
  @IsIn(INSTITUTION_TYPES)
  institutionType?: InstitutionType;

  @IsOptional()
  @IsUUID()
  municipalityId?: string;

  /** true: only other municipalities' institutions; false: only own. */
  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  external?: boolean;

  /** Part of the name. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class UserView {
  id: string;
  username: string;
  displayName: string;
  email: string | null;
  @ApiProperty({ enum: ROLES })
  role: Role;
  orgUnitId: string;
  orgUnitName: string;
  externalSubject: string | null;
  active: boolean;
  /** Locked after repeated failed log-ins until an administrator unlocks it. */
  locked: boolean;
  lockedAt: string | null;
  createdAt: string;
  version: number;
}

export class UserPage {
  items: UserView[];
  nextCursor: string | null;
}

export class ListUsersQuery extends PageQuery {
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @IsOptional()
  @IsUUID()
  orgUnitId?: string;

  @IsOptional()
  @Transform(toBool)
  @IsBoolean()
  locked?: boolean;

  /** Part of the username or name. */
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class MeView extends UserView {
  /** Set for institution staff: the institution their view is limited to. */
  institutionId: string | null;
}
