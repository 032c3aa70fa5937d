import { Module } from '@nestjs/common';
import { CatalogueSeed } from 'src/modules/catalogue/catalogue-seed';
import { QualityStandardService } from 'src/modules/catalogue/quality-standard.service';
import { QualityStandardsController } from 'src/modules/catalogue/quality-standards.controller';
import { RateService } from 'src/modules/catalogue/rate.service';
import { RatesController } from 'src/modules/catalogue/rates.controller';

/** The service catalogue: quality standards with versions, and rates. */
@Module({
  controllers: [QualityStandardsController, RatesController],
  providers: [QualityStandardService, RateService, CatalogueSeed],
  exports: [QualityStandardService, RateService, CatalogueSeed],
})
export class CatalogueModule {}
