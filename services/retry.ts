// Concurrent first-time writes of the same natural key (two deliveries of one report) race on a
// unique index, and concurrent transactions on one account can deadlock; the loser retries its whole
// transaction and then finds the winner's rows.
import { Prisma } from '../platform/db/client.ts';

export async function retryOnUniqueConflict<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const retryable = error instanceof Prisma.PrismaClientKnownRequestError && (error.code === 'P2002' || error.code === 'P2034');
      if (!retryable || attempt >= attempts) throw error;
    }
  }
}
