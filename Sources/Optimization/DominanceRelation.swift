/// How a first point compares with a second under (constrained) Pareto dominance, all
/// objectives minimised.
public enum DominanceRelation: Hashable, Sendable {
    /// The first point dominates the second.
    case dominates
    /// The second point dominates the first.
    case dominated
    /// Neither dominates the other (equal points included).
    case incomparable

    /// Pareto dominance: `a` dominates `b` when it is no worse in every objective and better in
    /// at least one.
    public static func pareto(_ a: [Double], _ b: [Double]) -> DominanceRelation {
        precondition(a.count == b.count, "points of different dimension")
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in pareto(a.baseAddress!, b.baseAddress!, count: a.count) }
        }
    }

    /// Deb's constrained domination (Deb et al. 2002): a feasible evaluation dominates an
    /// infeasible one, of two infeasible ones the smaller violation dominates, and two feasible
    /// ones compare by Pareto dominance. Equal violations of infeasible points are incomparable.
    public static func constrained(_ a: Evaluation, _ b: Evaluation) -> DominanceRelation {
        constrained(a.objectives, a.violation, b.objectives, b.violation)
    }

    static func constrained(_ a: [Double], _ violationA: Double, _ b: [Double], _ violationB: Double) -> DominanceRelation {
        let feasibleA = violationA <= 0, feasibleB = violationB <= 0
        switch (feasibleA, feasibleB) {
        case (true, true): return pareto(a, b)
        case (true, false): return .dominates
        case (false, true): return .dominated
        case (false, false):
            return violationA < violationB ? .dominates : violationB < violationA ? .dominated : .incomparable
        }
    }

    /// Pareto dominance on raw storage, without allocating: the optimisers compare rows of a
    /// flat objective matrix millions of times.
    @inline(__always)
    static func pareto(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> DominanceRelation {
        var aBetter = false, bBetter = false
        for i in 0..<count {
            let x = a[i], y = b[i]
            if x < y {
                aBetter = true
                if bBetter { return .incomparable }
            } else if y < x {
                bBetter = true
                if aBetter { return .incomparable }
            }
        }
        return aBetter == bBetter ? .incomparable : aBetter ? .dominates : .dominated
    }

    /// Whether `a` dominates `b`, on raw storage. Without early exits: the flags are gathered
    /// branch-free, which for a few objectives beats the mispredicted branches of an early exit.
    @inline(__always)
    static func dominates(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Bool {
        var worse: UInt8 = 0, better: UInt8 = 0
        for i in 0..<count {
            let x = a[i], y = b[i]
            worse |= x > y ? 1 : 0
            better |= x < y ? 1 : 0
        }
        return worse == 0 && better != 0
    }
}
