import { Module } from '@nestjs/common';
import { CatalogueModule } from 'src/modules/catalogue/catalogue.module';
import { JournalWriter } from 'src/modules/ledger/journal-writer';
import 'src/modules/ledger/ledger.errors';

/**
 * The BUM ledger (økonomi): chart of accounts per owner, the double-entry journal (integer øre, Σ = 0 per
 * entry, immutable, closed periods), balances and trial balance, budgets, expenses from finance systems,
 * exports for the ERP.
 */
@Module({
  imports: [CatalogueModule],
  controllers: [],
  providers: [JournalWriter],
  exports: [JournalWriter],
})
export class LedgerModule {}
