import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Each running worker process beats here; readiness checks that one beat recently. */
@Entity({ name: 'worker_heartbeat' })
export class WorkerHeartbeat {
  @PrimaryColumn({ type: 'text' })
  instanceId: string;

  @Column({ type: 'text' })
  hostname: string;

  @Column({ type: 'integer' })
  pid: number;

  @Column({ type: 'timestamptz' })
  startedAt: Date;

  @Column({ type: 'timestamptz' })
  beatAt: Date;
}
