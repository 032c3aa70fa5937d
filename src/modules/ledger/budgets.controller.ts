import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { requireIfMatch, setEtag } from 'src/platform/http/etag';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import {
  BudgetPage,
  BudgetView,
  CreateBudgetDto,
  ListBudgetsQuery,
  UpdateBudgetDto,
  YearEndQuery,
  YearEndView,
} from 'src/modules/ledger/budget.dto';
import { BudgetYearEndService } from 'src/modules/ledger/budget-year-end.service';
import { BudgetService } from 'src/modules/ledger/budget.service';
import { LEDGER_READ_ROLES, LEDGER_WRITE_ROLES } from 'src/modules/ledger/ledger.constants';

/**
 * Tilbuddets budget: per institution and year, versioned. Finance drafts, changes and approves (it must net to
 * zero within the tolerance); an approved budget is never edited, a new version supersedes it. Institution
 * managers read their own institution's budgets and year-end result.
 */
@ApiTags('ledger')
@Controller('api/v1/ledger/budgets')
export class BudgetsController {
  constructor(
    private readonly budgets: BudgetService,
    private readonly yearEnds: BudgetYearEndService,
  ) {}

  /** Draft a budget. Service lines take their rate from the catalogue (in force on 1 January of the year). */
  @Post()
  @Policy({ roles: LEDGER_WRITE_ROLES })
  @Idempotent()
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: CreateBudgetDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BudgetView> {
    const b = await this.budgets.create(principal, dto);
    setEtag(reply, b.version);
    return b;
  }

  @Get()
  @Policy({ roles: LEDGER_READ_ROLES })
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListBudgetsQuery): Promise<BudgetPage> {
    return this.budgets.list(principal, q);
  }

  /**
   * Årets resultat: actual income and expenses from the ledger, the surplus set aside (up to 5 % of the cost
   * base, to be used within 5 years) and the rest carried into the rates of year t+2 — a proposal per service
   * line of the approved budget, never written into the catalogue.
   */
  @Get('year-end')
  @Policy({ roles: LEDGER_READ_ROLES })
  yearEnd(@CurrentPrincipal() principal: Principal, @Query() q: YearEndQuery): Promise<YearEndView> {
    return this.yearEnds.get(principal, q);
  }

  @Get(':id')
  @Policy({ roles: LEDGER_READ_ROLES })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BudgetView> {
    const b = await this.budgets.get(principal, id);
    setEtag(reply, b.version);
    return b;
  }

  /** Change a draft (send If-Match). `lines` replaces every line; an approved budget is 409. */
  @Patch(':id')
  @Policy({ roles: LEDGER_WRITE_ROLES })
  async update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Body() dto: UpdateBudgetDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BudgetView> {
    const b = await this.budgets.update(principal, id, requireIfMatch(ifMatch), dto);
    setEtag(reply, b.version);
    return b;
  }

  /** Approve a draft (send If-Match): 422 unless |income − expenses| ≤ tolerance; the previous approved version is superseded. */
  @Post(':id/approve')
  @Policy({ roles: LEDGER_WRITE_ROLES })
  @HttpCode(200)
  async approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BudgetView> {
    const b = await this.budgets.approve(principal, id, requireIfMatch(ifMatch));
    setEtag(reply, b.version);
    return b;
  }

  /** A new draft version copying the approved budget (its lines, rates, tolerance and note). */
  @Post(':id/new-version')
  @Policy({ roles: LEDGER_WRITE_ROLES })
  @Idempotent()
  async newVersion(
    @CurrentPrincipal() principal: Principal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BudgetView> {
    const b = await this.budgets.newVersion(principal, id);
    setEtag(reply, b.version);
    return b;
  }
}
