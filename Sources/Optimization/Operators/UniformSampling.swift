import Support

/// Genomes drawn uniformly: choice genes uniform over their indices, real genes uniform within
/// their bounds. NSGA-II's initial population (pymoo's `FloatRandomSampling` and
/// `IntegerRandomSampling`) and every draw of random search.
struct UniformSampling {
    var bounds: GeneBounds

    func sample(into genome: UnsafeMutablePointer<Double>, using generator: inout SeededGenerator) {
        for i in 0..<bounds.count {
            if bounds.choices[i] > 0 {
                genome[i] = Double(generator.nextIndex(below: bounds.choices[i]))
            } else {
                genome[i] = bounds.lower[i] + (bounds.upper[i] - bounds.lower[i]) * generator.nextUnitDouble()
            }
        }
    }
}
