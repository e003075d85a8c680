import type { Knex } from 'knex';

/**
 * A step closed after its due time is overdue, whether or not its deadline had fired (the
 * scheduler may have been behind, or Alur down). Rows closed before that rule get it now, so
 * the audit's replay, which applies the same rule, agrees with them.
 */
export async function up(knex: Knex): Promise<void> {
  await knex('step_executions').whereNotNull('completed_at').whereNotNull('due_at').whereRaw('completed_at > due_at').where({ overdue: false }).update({ overdue: true });
}

export async function down(): Promise<void> {
  // Forward-only: the rows were wrong before.
}
