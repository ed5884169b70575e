import type { FilterQuery, Model } from 'mongoose';

/**
 * Deletes what `filter` matches a thousand documents at a time. One deleteMany over a large import
 * can fail half-way on some servers (FerretDB over SQLite: "too many SQL variables"); batches keep
 * every call small, and a retry after a failure deletes the rest.
 */
export async function deleteInBatches<T>(
  model: Model<T>,
  filter: FilterQuery<T>,
  batch = 1000,
): Promise<number> {
  let deleted = 0;
  for (;;) {
    const ids = (await model.find(filter, { _id: 1 }).limit(batch).lean<{ _id: unknown }[]>()).map(
      (d) => d._id,
    );
    if (!ids.length) return deleted;
    deleted += (await model.deleteMany({ _id: { $in: ids } } as FilterQuery<T>)).deletedCount;
  }
}
