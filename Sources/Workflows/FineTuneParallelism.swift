/// How a fine-tuning run spreads a step over its threads. Each gives a deterministic step,
/// but not the same bits as the other (sums are formed in another order): a run resumes bit
/// for bit with the thread count and parallelism it was saved with.
public enum FineTuneParallelism: String, Codable, CaseIterable, Sendable {
    /// Data parallelism: the batch cut into one shard of sequences per thread, each shard run
    /// from embeddings to loss by its own pinned thread with single-threaded products, the
    /// shards' gradients then summed in shard order. Measured the faster on 2 cores.
    case batch
    /// One shard; the BLAS splits every matrix product over the threads, and the rest of the
    /// step (normalisations, activations, attention per head, optimiser) runs on one.
    case products
}
