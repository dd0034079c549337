import Hardware
import Runtime
import SuperNet

extension ProfileWorkItem {
    /// A block configuration of a space, prepared by `runtime` only when its chunk is measured.
    public init(block: Block, runtime: any InferenceRuntime, options: ExecutionOptions, seed: UInt64 = 1) {
        self.init(key: block.key, flops: block.flops(batch: options.batch), bytes: block.bytes(batch: options.batch)) {
            try runtime.prepare(block, options: options, seed: seed)
        }
    }

    /// A whole sub-network, prepared by `runtime` (all its weights) only when its chunk is measured.
    public init(subnet: Subnet, space: any SearchSpace, settings: SpaceSettings, runtime: any InferenceRuntime,
                options: ExecutionOptions, key: String, seed: UInt64) {
        let flops = 2 * Double(space.macs(of: subnet, settings: settings)) * Double(options.batch)
        self.init(key: key, flops: flops, bytes: 0) {
            try runtime.prepare(subnet: subnet, space: space, settings: settings, options: options, seed: seed)
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
