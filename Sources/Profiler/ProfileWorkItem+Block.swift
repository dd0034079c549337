import Hardware
import SuperNet

extension ProfileWorkItem {
    /// A block configuration of a space, built only when its chunk is measured.
    public init(block: Block, options: ExecutionOptions, seed: UInt64 = 1) {
        self.init(key: block.key, flops: block.flops(batch: options.batch), bytes: block.bytes(batch: options.batch)) {
            let runnable = try RunnableBlock(block, options: options, seed: seed)
            return runnable.run
        }
    }

    /// A whole sub-network, built (all its weights) only when its chunk is measured.
    public init(subnet: Subnet, space: any SearchSpace, settings: SpaceSettings, options: ExecutionOptions,
                key: String, seed: UInt64) {
        let flops = 2 * Double(space.macs(of: subnet, settings: settings)) * Double(options.batch)
        self.init(key: key, flops: flops, bytes: 0) {
            let network = try RunnableSubnet(space: space, subnet: subnet, settings: settings, options: options, seed: seed)
            return network.run
        }
    }

    /// The reference workload: single-precision GEMM of square matrices of order `n` through
    /// the BLAS, with whatever threads the BLAS has been given (the calibration's kernel).
    public static func sgemmReference(order n: Int) -> ProfileWorkItem {
        ProfileWorkItem(key: "reference-sgemm-\(n)", flops: 2 * Double(n) * Double(n) * Double(n), bytes: 12 * Double(n * n)) {
            let operands = SgemmOperands(order: n)
            return { operands.multiply() }
        }
    }
}
