import { MigrationInterface, QueryRunner } from 'typeorm';

export class AddAccountUnlock1795445193610 implements MigrationInterface {
  name = 'AddAccountUnlock1795445193610';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "account_unlock" ("id" BIGSERIAL NOT NULL, "user_id" uuid NOT NULL, "unlocked_by" uuid, "reason" text NOT NULL, "locked_at" TIMESTAMP WITH TIME ZONE, "unlocked_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_account_unlock_reason" CHECK (length(btrim(reason)) >= 3), CONSTRAINT "PK_808274f926e22967c6bd0479c8a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_account_unlock_user" ON "account_unlock"  ("user_id", "unlocked_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "account_unlock" ADD CONSTRAINT "fk_account_unlock_user" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // An audit record: the app may add and read, never change.
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON account_unlock FROM bum_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "account_unlock" DROP CONSTRAINT "fk_account_unlock_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_account_unlock_user"`);
    await queryRunner.query(`DROP TABLE "account_unlock"`);
  }
}
