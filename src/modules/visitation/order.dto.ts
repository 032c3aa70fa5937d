import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { PageQuery } from 'src/platform/http/pagination';
import { ORDER_STATUSES, OrderStatus } from 'src/modules/visitation/visitation.constants';

export class ListOrdersQuery extends PageQuery {
  /** The institution (tilbud); institution staff always see their own only. */
  @IsOptional()
  @IsUUID()
  institutionId?: string;

  @IsOptional()
  @IsUUID()
  citizenId?: string;

  @ApiPropertyOptional({ enum: ORDER_STATUSES, description: 'sent = ny, accepted = accepteret, rejected = afvist, ended = afsluttet' })
  @IsOptional()
  @IsIn(ORDER_STATUSES)
  status?: OrderStatus;
}
