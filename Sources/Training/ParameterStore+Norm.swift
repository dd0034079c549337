import Kernels

extension ParameterStore {
    /// The global L2 norm of every gradient (PyTorch's `clip_grad_norm_` total norm), summed
    /// in Double over blocks of Float partial sums.
    public func gradientNorm() -> Double {
        var total = 0.0
        for tensor in tensors {
            let g = UnsafePointer(tensor.gradient)
            let count = tensor.count
            var i = 0
            while i < count {
                let end = Swift.min(count, i + 4096)
                var s = Float16x.zero
                while i < end {
                    let left = end - i
                    let x = Lanes.load(g + i, count: left)
                    s = s.addingProduct(x, x)
                    i += 16
                }
                i = end
                total += Double(Lanes.sum(s))
            }
        }
        return total.squareRoot()
    }
}
