import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddOrderResponsible1795451870790 implements MigrationInterface {
  name = 'AddOrderResponsible1795451870790';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "service_order" ADD "responsible_staff_user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "service_order" ADD "responsible_team" text`);
    // --- written by hand below ---
    // The responsible employee is a user (the organisation context's), checked by trigger as other references.
    await queryRunner.query(
      `CREATE TRIGGER trg_service_order_responsible BEFORE INSERT OR UPDATE OF responsible_staff_user_id ON service_order
               FOR EACH ROW EXECUTE FUNCTION visitation_check_references('responsible_staff_user_id', 'app_user')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_service_order_responsible ON service_order`);
    await queryRunner.query(`ALTER TABLE "service_order" DROP COLUMN "responsible_team"`);
    await queryRunner.query(`ALTER TABLE "service_order" DROP COLUMN "responsible_staff_user_id"`);
  }
}
