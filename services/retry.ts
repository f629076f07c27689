// Concurrent first-time writes of the same natural key (two deliveries of one report) race on a
// unique index; the loser retries its whole transaction and then finds the winner's rows.
import { Prisma } from '../platform/db/client.ts';

export async function retryOnUniqueConflict<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      const unique = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
      if (!unique || attempt >= attempts) throw error;
    }
  }
}
