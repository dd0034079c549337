import Kernels
import Support
import SuperNet

/// A whole sub-network built to run: its active blocks chained output to input.
public final class RunnableSubnet: @unchecked Sendable {
    public let blocks: [RunnableBlock]

    public init(space: any SearchSpace, subnet: Subnet, settings: SpaceSettings? = nil,
                options: ExecutionOptions = ExecutionOptions(), seed: UInt64) throws {
        var built: [RunnableBlock] = []
        for (index, block) in space.blocks(of: subnet, settings: settings ?? space.defaultSettings).enumerated() {
            let input = built.last?.output
            built.append(try RunnableBlock(block, options: options, seed: seed &+ UInt64(index) &* 0x9E37_79B9, input: input))
        }
        blocks = built
    }

    public var input: Tensor { blocks[0].input }
    public var output: Tensor { blocks[blocks.count - 1].output }

    /// One forward pass.
    public func run() {
        for block in blocks { block.run() }
    }
}
