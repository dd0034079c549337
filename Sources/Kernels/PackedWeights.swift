/// A [K, N] weight matrix repacked once, at construction, into the order the GEMM kernel reads.
///
/// OpenBLAS packs both operands on every call; with 128 rows (a BERT sequence) against 768 x
/// 3072 weights, re-packing the weights costs ~7% of the product. Packing them once removes
/// that cost, which is what ONNX Runtime does for constant weights too.
///
/// Layout: K is cut into blocks of at most `blockDepth` rows; within a block, the columns are cut
/// into panels of `panelWidth` (the register tile's width), each stored as [depth][panelWidth] so
/// the kernel reads it sequentially. The last panel is padded with zeros. The tile, and so the
/// layout, belongs to the kernel variant dispatched at packing time (`variant`): the GEMM runs
/// these weights with that variant's kernel only, whatever is dispatched later.
///
/// - AVX2: 24 columns (three ymm registers), K blocks of at most 768 rows.
/// - AVX-512: 32 columns (two zmm registers); the K block is sized from the L1 data cache at run
///   time, so that a strip of `tileRows` input rows of one K block stays in L1 while it meets
///   every panel of an L2-sized group of panels (see `Gemm.packed512`).
public final class PackedWeights: @unchecked Sendable {
    /// The kernel variant these weights are laid out for.
    public let variant: KernelVariant
    public let rows: Int
    public let columns: Int
    /// Columns per panel (the register tile's width).
    let panelWidth: Int
    /// Rows of the register tile that reads this layout.
    let tileRows: Int
    /// K rows per block (the last block may be shorter).
    let blockDepth: Int
    let panels: Int
    let storage: Tensor

    /// Packs `weight`, row-major [rows (K), columns (N)], for the variant dispatched now, in the
    /// layout that variant uses for N columns (`layout(for:columns:)`).
    public convenience init(_ weight: UnsafePointer<Float>, rows: Int, columns: Int) {
        self.init(weight, rows: rows, columns: columns, variant: Self.layout(for: KernelDispatch.variant, columns: columns))
    }

    /// The layout (and so the kernel) a variant uses for a matrix of `columns` columns. The
    /// AVX-512 tile is 32 columns wide: where N is not a multiple of 32 (the 1x1 convolutions of
    /// MobileNetV3: 24, 40, 72, 144, 240 channels) its last panel would be padded and finished
    /// element by element, which measured 1.2-2.6x slower than the AVX2 tile on Zen 4
    /// (`kernel-bench --only=variants`); those matrices take the AVX2 4 x 24 tile.
    public static func layout(for variant: KernelVariant, columns: Int) -> KernelVariant {
        switch variant {
        case .avx2: .avx2
        case .avx512: columns % avx512Tile.width == 0 ? .avx512 : .avx2
        }
    }

    /// `depth` overrides the AVX-512 K block (tests, comparisons).
    init(
        _ weight: UnsafePointer<Float>, rows: Int, columns: Int, variant: KernelVariant,
        depth: Int? = nil
    ) {
        precondition(rows > 0 && columns > 0, "PackedWeights: \(rows) x \(columns)")
        self.variant = variant
        self.rows = rows
        self.columns = columns
        let maxDepth: Int
        switch variant {
        case .avx2:
            panelWidth = 24
            tileRows = 4
            maxDepth = 768
        case .avx512:
            panelWidth = Self.avx512Tile.width
            tileRows = Self.avx512Tile.rows
            maxDepth = depth ?? Self.avx512FixedDepth ?? Self.avx512Depth(tileRows: tileRows)
        }
        let blocks = (rows + maxDepth - 1) / maxDepth
        blockDepth = (rows + blocks - 1) / blocks
        panels = (columns + panelWidth - 1) / panelWidth
        let width = panelWidth
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

    /// The AVX-512 register tile (rows x columns, 16 columns per zmm register): 8 x 32 measured
    /// fastest on Zen 4 against 12 x 32 and 6 x 48 (FFN-3072: 11.27 against 12.88 and 11.61 ms).
    public static let avx512Tile: (rows: Int, width: Int) = (8, 32)
    /// A fixed AVX-512 K block instead of the L1-derived one (kernel-bench's comparisons).
    nonisolated(unsafe) public static var avx512FixedDepth: Int? = nil

    /// The largest AVX-512 K block: a strip of `tileRows` input rows, [tileRows, depth], fills
    /// half of L1, so it stays there (with the panel streaming through) across a group of panels.
    static func avx512Depth(tileRows: Int) -> Int {
        let depth = CacheGeometry.l1DataBytes / 2 / (tileRows * 4)
        return max(64, depth & ~15)
    }

    /// The first packed value of the K block starting at row `k0`.
    @inline(__always)
    func block(_ k0: Int) -> UnsafeMutablePointer<Float> {
        storage.pointer + k0 * panels * panelWidth
    }

    /// The weights back in row-major [rows, columns] (for tests and inspection).
    public func unpacked() -> Tensor {
        let result = Tensor(shape: [rows, columns])
        let width = panelWidth
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
