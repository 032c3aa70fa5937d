import { Module } from '@nestjs/common';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { AccountService } from 'src/modules/ledger/account.service';
import { AccountsController } from 'src/modules/ledger/accounts.controller';
import { BalanceService } from 'src/modules/ledger/balance.service';
import { EntriesController } from 'src/modules/ledger/entries.controller';
import { JournalService } from 'src/modules/ledger/journal.service';
import { JournalWriter } from 'src/modules/ledger/journal-writer';
import { PeriodService } from 'src/modules/ledger/period.service';
import { PeriodsController } from 'src/modules/ledger/periods.controller';
import { BudgetLines } from 'src/modules/ledger/budget-lines';
import { BudgetYearEndService } from 'src/modules/ledger/budget-year-end.service';
import { BudgetService } from 'src/modules/ledger/budget.service';
import { BudgetsController } from 'src/modules/ledger/budgets.controller';
import { OrganisationModule } from 'src/modules/organisation/organisation.module';
import { ExpenseAccounts } from 'src/modules/ledger/expense-accounts';
import { ExpenseService } from 'src/modules/ledger/expense.service';
import { ExpensesController } from 'src/modules/ledger/expenses.controller';
import { ExportService } from 'src/modules/ledger/export.service';
import { ExportsController } from 'src/modules/ledger/exports.controller';
import 'src/modules/ledger/ledger.errors';

/**
 * The BUM ledger (økonomi): chart of accounts per owner, the double-entry journal (integer øre, Σ = 0 per
 * entry, immutable, closed periods), balances and trial balance, budgets, expenses from finance systems,
 * exports for the ERP.
 */
@Module({
  imports: [CatalogueModule, OrganisationModule],
  controllers: [AccountsController, EntriesController, PeriodsController, BudgetsController, ExpensesController, ExportsController],
  providers: [JournalWriter, AccountService, JournalService, BalanceService, PeriodService, BudgetService, BudgetLines, BudgetYearEndService, ExpenseAccounts, ExpenseService, ExportService],
  exports: [JournalWriter, AccountService, BalanceService, PeriodService],
})
export class LedgerModule {}
