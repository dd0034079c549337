import Foundation
import SuperNet

/// The kind a block's latency is calibrated by: its block kind (`Block.kind`) and the power of two
/// nearest its largest activation in bytes.
///
/// A block profiled alone finds its own tensors in cache from one call to the next; in a network
/// the previous block's output and the next block's weights compete for the caches, and what that
/// costs depends on whether the block's largest tensor fits a cache level. The rule names neither
/// a space nor a machine, and a kind learnt at one input size applies to blocks of the same size
/// class at other input sizes.
public enum CalibrationKind {
    /// The rule in words, recorded with every per-kind calibration.
    public static let rule = "block kind and the power of two nearest its largest activation in bytes (4-byte floats, times the batch)"

    /// The kind of `block` at `batch`, e.g. `mbconv ~2^22 B`.
    public static func of(_ block: Block, batch: Int) -> String {
        let bytes = 4 * Double(block.largestActivation) * Double(max(batch, 1))
        let octave = Int(log2(max(bytes, 1)).rounded())
        return "\(block.kind) ~2^\(octave) B"
    }
}
