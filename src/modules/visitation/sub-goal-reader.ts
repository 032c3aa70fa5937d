import { Injectable } from '@nestjs/common';

/** An institution's delmål under one of the decision's goals, with its progress (read-only for the authority). */
export interface SubGoalSummary {
  id: string;
  orderId: string;
  goalOrdinal: number;
  description: string;
  targetLevel: number | null;
  status: string;
  progress: { level: number; text: string; recordedOn: string }[];
}

/**
 * The delivery context owns sub-goals and registers how to read them here (it depends on visitation, not the
 * other way round). Until it registers, there are none to show.
 */
@Injectable()
export class SubGoalReader {
  private reader: (orderIds: string[]) => Promise<SubGoalSummary[]> = () => Promise.resolve([]);

  register(reader: (orderIds: string[]) => Promise<SubGoalSummary[]>): void {
    this.reader = reader;
  }

  read(orderIds: string[]): Promise<SubGoalSummary[]> {
    return orderIds.length ? this.reader(orderIds) : Promise.resolve([]);
  }
}
