import { PartialType } from '@nestjs/swagger';
import { VersionFieldsDto } from 'src/modules/catalogue/version-fields.dto';

/** Changes to a draft version; omitted fields stay as they are. */
export class UpdateVersionDto extends PartialType(VersionFieldsDto) {}
