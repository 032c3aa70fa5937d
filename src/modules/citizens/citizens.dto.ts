import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID } from 'class-validator';
import { CASE_STATUSES, CaseStatus, INQUIRY_CHANNELS, InquiryChannel, VISIT_STATUSES, VisitStatus } from 'src/modules/citizens/citizens.constants';
import { PageQuery } from 'src/platform/http/pagination';

export class CitizenAddressView {
  street: string | null;
  postalCode: string | null;
  city: string | null;
}

export class CitizenView {
  id: string;
  /** Anonymous client (anonym klient): no CPR, a pseudonym. */
  anonymous: boolean;
  /** CPR-nummer: masked DDMMYY-xxxx, or in clear when you may and asked with `?reveal=cpr`. Null for anonymous clients. */
  @ApiProperty({ type: String, nullable: true, example: '010190-xxxx' })
  cpr: string | null;
  /** True when `cpr` is shown in clear (the reveal is in the access log). */
  cprRevealed: boolean;
  @ApiProperty({ type: String, nullable: true, example: 'ANON-7K2M9Q4X' })
  pseudonym: string | null;
  /** The name, or an anonymous client's alias. */
  name: string | null;
  address: CitizenAddressView;
  phone: string | null;
  email: string | null;
  /** Handlekommune. */
  actingMunicipalityId: string;
  /** Betalingskommune. */
  payingMunicipalityId: string;
  createdAt: string;
  /** Row version for If-Match. */
  version: number;
}

export class CitizenPage {
  items: CitizenView[];
  nextCursor: string | null;
}

export class GetCitizenQuery {
  /** `cpr` shows the CPR number in clear (caseworker, panel member, administrator); the reveal is logged. */
  @ApiPropertyOptional({ enum: ['cpr'] })
  @IsOptional()
  @IsIn(['cpr'])
  reveal?: 'cpr';
}

export class ListCitizensQuery extends PageQuery {
  @IsOptional()
  @IsUUID()
  actingMunicipalityId?: string;

  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  anonymous?: boolean;
}

export class InquiryView {
  id: string;
  caseId: string;
  receivedOn: string;
  @ApiProperty({ enum: INQUIRY_CHANNELS })
  channel: InquiryChannel;
  request: string;
  standardCode: string;
  /** The version of the standard in force on the inquiry date. */
  standardVersionNo: number;
  /** Sagsbehandlingsfrist: receivedOn + the standard's casework deadline days. */
  caseworkDeadline: string;
  createdAt: string;
}

export class CreatedInquiryView extends InquiryView {
  /** True when the inquiry opened a new case; false when it joined the citizen's open case. */
  caseOpened: boolean;
}

export class CaseView {
  id: string;
  citizenId: string;
  @ApiProperty({ enum: CASE_STATUSES })
  status: CaseStatus;
  responsibleCaseworkerId: string | null;
  openedOn: string;
  closedOn: string | null;
  /** The earliest casework deadline of its inquiries. */
  caseworkDeadline: string | null;
  /** Open and past its deadline: the citizen must be told when to expect a decision. */
  overdue: boolean;
  inquiries: InquiryView[];
  version: number;
}

export class NoteView {
  id: string;
  caseId: string;
  text: string;
  amendsNoteId: string | null;
  /** Later notes that amend this one. */
  amendedBy: string[];
  authorUserId: string | null;
  recordedAt: string;
}

export class NotePage {
  items: NoteView[];
  nextCursor: string | null;
}

export class VisitView {
  id: string;
  caseId: string;
  citizenId: string;
  /** The citizen's name (or an anonymous client's pseudonym), for the calendar. */
  citizenName: string | null;
  caseworkerId: string;
  @ApiProperty({ enum: VISIT_STATUSES, description: 'planlagt, afholdt, aflyst' })
  status: VisitStatus;
  startsAt: string;
  endsAt: string;
  place: string;
  participants: string[];
  notes: string | null;
  cancelReason: string | null;
  version: number;
}

export class VisitPage {
  items: VisitView[];
  nextCursor: string | null;
}
