/// A [K, N] weight matrix repacked once, at construction, into the order the GEMM kernel reads.
///
/// OpenBLAS packs both operands on every call; with 128 rows (a BERT sequence) against 768 x
/// 3072 weights, re-packing the weights costs ~7% of the product. Packing them once removes
/// that cost, which is what ONNX Runtime does for constant weights too.
///
/// Layout: K is cut into blocks of at most `blockDepth` rows (so that one block of the input,
/// [rows, blockDepth], stays in L2); within a block, the columns are cut into panels of
/// `panelWidth` (24 = three AVX2 registers), each stored as [depth][24] so the kernel reads it
/// sequentially. The last panel is padded with zeros.
public final class PackedWeights: @unchecked Sendable {
    /// Columns per panel: the kernel's register tile is 4 rows x 24 columns.
    static let panelWidth = 24
    /// Largest K block.
    static let maxBlockDepth = 768

    public let rows: Int
    public let columns: Int
    /// K rows per block (the last block may be shorter).
    let blockDepth: Int
    let panels: Int
    let storage: Tensor

    /// Packs `weight`, row-major [rows (K), columns (N)].
    public init(_ weight: UnsafePointer<Float>, rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "PackedWeights: \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        let blocks = (rows + Self.maxBlockDepth - 1) / Self.maxBlockDepth
        blockDepth = (rows + blocks - 1) / blocks
        panels = (columns + Self.panelWidth - 1) / Self.panelWidth
        let width = Self.panelWidth
        storage = Tensor(shape: [rows, panels * width])
        var k0 = 0
        while k0 < rows {
            let depth = min(blockDepth, rows - k0)
            for panel in 0..<panels {
                let target = block(k0) + panel * depth * width
                let j0 = panel * width
                let valid = min(width, columns - j0)
                for k in 0..<depth {
                    (target + k * width).update(from: weight + (k0 + k) * columns + j0, count: valid)
                }
            }
            k0 += depth
        }
    }

    /// The first packed value of the K block starting at row `k0`.
    @inline(__always)
    func block(_ k0: Int) -> UnsafeMutablePointer<Float> {
        storage.pointer + k0 * panels * Self.panelWidth
    }

    /// The weights back in row-major [rows, columns] (for tests and inspection).
    public func unpacked() -> Tensor {
        let result = Tensor(shape: [rows, columns])
        let width = Self.panelWidth
        var k0 = 0
        while k0 < rows {
            let depth = min(blockDepth, rows - k0)
            for panel in 0..<panels {
                let source = block(k0) + panel * depth * width
                let valid = min(width, columns - panel * width)
                for k in 0..<depth {
                    (result.pointer + (k0 + k) * columns + panel * width).update(from: source + k * width, count: valid)
                }
            }
            k0 += depth
        }
        return result
    }
}
