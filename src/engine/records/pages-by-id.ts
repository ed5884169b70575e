import { mongo } from 'mongoose';

/**
 * The documents `filter` matches, a page at a time in `_id` order, each page read after the last `_id`
 * of the one before: a caller that deletes or changes what it read never skips or repeats a document,
 * and holds one page at a time however many match.
 */
export async function* pagesById(
  collection: mongo.Collection,
  filter: mongo.Filter<mongo.Document>,
  projection: mongo.Document,
  size = 500,
): AsyncGenerator<mongo.WithId<mongo.Document>[]> {
  for (let after: mongo.ObjectId | null = null; ;) {
    const next = after ? { $and: [filter, { _id: { $gt: after } }] } : filter;
    const page = await collection
      .find(next as mongo.Filter<mongo.Document>, { projection })
      .sort({ _id: 1 })
      .limit(size)
      .toArray();
    if (!page.length) return;
    after = page[page.length - 1]!._id as mongo.ObjectId;
    yield page;
  }
}
