import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from 'src/platform/auth/current-principal.decorator';
import { Policy } from 'src/platform/auth/policy.decorator';
import { Principal } from 'src/platform/auth/principal';
import { Idempotent } from 'src/platform/idempotency/idempotent.decorator';
import { AccountService } from 'src/modules/ledger/account.service';
import { BalanceService } from 'src/modules/ledger/balance.service';
import { LEDGER_READ_ROLES, LEDGER_WRITE_ROLES } from 'src/modules/ledger/ledger.constants';
import {
  AccountPage,
  AccountView,
  AtQuery,
  BalanceView,
  CreateAccountDto,
  ListAccountsQuery,
  OwnerBalancesView,
  StandardAccountsResult,
  TrialBalanceQuery,
  TrialBalanceView,
} from 'src/modules/ledger/ledger.dto';

/** The chart of accounts and balances (computed from postings at any day). */
@ApiTags('ledger')
@Controller('api/v1/ledger')
export class AccountsController {
  constructor(
    private readonly accounts: AccountService,
    private readonly balances: BalanceService,
  ) {}

  /** Accounts; an institution manager sees their institution's only. */
  @Get('accounts')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: 'ledger:read' })
  list(@CurrentPrincipal() principal: Principal, @Query() q: ListAccountsQuery): Promise<AccountPage> {
    return this.accounts.list(principal, q);
  }

  /** An account finance adds (the standard ones are made by themselves). */
  @Post('accounts')
  @Policy({ roles: LEDGER_WRITE_ROLES })
  @Idempotent()
  create(@CurrentPrincipal() principal: Principal, @Body() dto: CreateAccountDto): Promise<AccountView> {
    return this.accounts.create(principal, dto);
  }

  /**
   * Makes the standard accounts that are missing (the authority's, each own institution's, each other
   * municipality's). Runs by itself when an institution or municipality is created; this is for on demand.
   */
  @Post('accounts/standard')
  @HttpCode(200)
  @Policy({ roles: LEDGER_WRITE_ROLES })
  ensureStandard(): Promise<StandardAccountsResult> {
    return this.accounts.ensureStandardAccounts();
  }

  @Get('accounts/:id')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: 'ledger:read' })
  get(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string): Promise<AccountView> {
    return this.accounts.get(principal, id);
  }

  /** The balance on a day (Σ postings dated on or before `at`), or of every posting without `at`. */
  @Get('accounts/:id/balance')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: 'ledger:read' })
  balance(@CurrentPrincipal() principal: Principal, @Param('id', new ParseUUIDPipe()) id: string, @Query() q: AtQuery): Promise<BalanceView> {
    return this.balances.accountBalance(principal, id, q.at ?? null);
  }

  /** Every account of an owner (an institution, the authority, another municipality) with its balance on a day. */
  @Get('owners/:ownerId/balances')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: 'ledger:read' })
  ownerBalances(@CurrentPrincipal() principal: Principal, @Param('ownerId', new ParseUUIDPipe()) ownerId: string, @Query() q: AtQuery): Promise<OwnerBalancesView> {
    return this.balances.ownerBalances(principal, ownerId, q.at ?? null);
  }

  /** Råbalance for a month: opening, debit, credit and closing per account; of the whole ledger or one owner. */
  @Get('trial-balance')
  @Policy({ roles: LEDGER_READ_ROLES, apiKeyScope: 'ledger:read' })
  trialBalance(@CurrentPrincipal() principal: Principal, @Query() q: TrialBalanceQuery): Promise<TrialBalanceView> {
    return this.balances.trialBalance(principal, q.period, q.ownerId ?? null);
  }
}
