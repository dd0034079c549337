extension BertClassifier {
    /// `trainingFlops` of a sub-network: the same count over its active layers, heads and
    /// intermediate units (Q, K, V and the output projection are hidden x heads·d each, the FFN
    /// hidden x units twice; the attention products scale with heads·d).
    public static func trainingFlops(_ c: BertConfiguration, subnet: SubnetShape, batch: Int, length: Int) -> Double {
        let h = Double(c.hiddenSize), d = Double(c.headDimension)
        let tokens = Double(batch * length)
        var encoderMatrices = 0.0, attention = 0.0
        for l in 0..<subnet.layers {
            let inner = Double(subnet.heads[l]) * d
            encoderMatrices += 4 * h * inner + 2 * h * Double(subnet.intermediate[l])
            attention += 12 * Double(batch) * Double(length * length) * inner
        }
        let headMatrices = h * h + h * Double(c.labels)
        return 6 * encoderMatrices * tokens + 6 * headMatrices * Double(batch) + attention
    }
}
