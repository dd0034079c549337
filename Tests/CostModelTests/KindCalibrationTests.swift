import Foundation
import Support
import SuperNet
import Testing
@testable import CostModel

/// Per-kind calibration: the solver, the ridge fit against a plain reference, the kind rule, the
/// choice between one slope and per-kind slopes, and the held-out half never reaching the fit.
@Suite struct KindCalibrationTests {
    @Test func theSolverPivotsAndRefusesASingularSystem() throws {
        // The first pivot is zero: only row exchange solves it. x = (1, -2, 3).
        let a: [Double] = [0, 2, 1,
                           1, 1, 1,
                           2, -1, 4]
        let x = try LinearSystem.solve(a, [-1, 2, 16])
        for (got, want) in zip(x, [1.0, -2, 3]) { #expect(abs(got - want) < 1e-12) }
        let error = try #require(throws: HwnasError.self) { try LinearSystem.solve([1, 2, 2, 4], [1, 2]) }
        #expect(error.message.contains("singular"), "message: \(error.message)")
    }

    /// Kind sums of sub-networks made of three kinds, `n` of them, deterministic.
    static func rows(_ n: Int, seed: UInt64) -> [[String: Double]] {
        var generator = SeededGenerator(seed: seed)
        return (0..<n).map { _ in
            ["k1": Double.random(in: 1...3, using: &generator), "k2": Double.random(in: 0.5...2, using: &generator),
             "k3": Double.random(in: 0...1, using: &generator)]
        }
    }

    /// The ridge solution written out plainly in ms: minimise Σ (y - a s - b - Σ δ_k s_k)² +
    /// λ m² Σ δ_k², m the mean measurement (the fit's relative penalty in ms units), solved by
    /// Gauss-Jordan elimination on the normal equations.
    static func referenceFit(_ rows: [[String: Double]], _ y: [Double], penalty: Double) -> [Double] {
        let kinds = ["k1", "k2", "k3"]
        let m = y.reduce(0, +) / Double(y.count)
        let width = 2 + kinds.count
        var g = [[Double]](repeating: [Double](repeating: 0, count: width + 1), count: width)
        for (row, target) in zip(rows, y) {
            let x = [kinds.map { row[$0]! }.reduce(0, +), 1] + kinds.map { row[$0]! }
            for i in 0..<width {
                for j in 0..<width { g[i][j] += x[i] * x[j] }
                g[i][width] += x[i] * target
            }
        }
        for k in 2..<width { g[k][k] += penalty * m * m }
        for c in 0..<width {
            let p = (c..<width).max { abs(g[$0][c]) < abs(g[$1][c]) }!
            g.swapAt(c, p)
            for r in 0..<width where r != c {
                let f = g[r][c] / g[c][c]
                for k in c...width { g[r][k] -= f * g[c][k] }
            }
        }
        return (0..<width).map { g[$0][width] / g[$0][$0] }
    }

    @Test func theFitMatchesThePlainRidgeSolution() throws {
        let rows = Self.rows(30, seed: 3)
        var generator = SeededGenerator(seed: 4)
        let y = rows.map { 0.4 + 1.1 * $0["k1"]! + 1.4 * $0["k2"]! + 0.9 * $0["k3"]! + Double.random(in: -0.05...0.05, using: &generator) }
        for penalty in [10.0, 0.1, 0.001] {
            let fit = try KindCalibration.fit(kindSums: rows, measured: y, penalty: penalty)
            let reference = Self.referenceFit(rows, y, penalty: penalty)
            #expect(abs(fit.a - reference[0]) < 1e-9)
            #expect(abs(fit.b - reference[1]) < 1e-9)
            for (k, kind) in ["k1", "k2", "k3"].enumerated() {
                #expect(abs(fit.kindOffsets[kind]! - reference[2 + k]) < 1e-9, "\(kind) at penalty \(penalty)")
            }
        }
    }

    @Test func aWeakPenaltyRecoversEachKindsSlope() throws {
        let rows = Self.rows(25, seed: 5)
        let y = rows.map { 0.25 + 1.1 * $0["k1"]! + 1.4 * $0["k2"]! + 0.9 * $0["k3"]! }
        let fit = try KindCalibration.fit(kindSums: rows, measured: y, penalty: 1e-9)
        #expect(abs(fit.slope(kind: "k1") - 1.1) < 1e-6)
        #expect(abs(fit.slope(kind: "k2") - 1.4) < 1e-6)
        #expect(abs(fit.slope(kind: "k3") - 0.9) < 1e-6)
        #expect(abs(fit.b - 0.25) < 1e-6)
        // apply is b + Σ slope × sum; a kind never seen has the common slope.
        let predicted = fit.apply(kindSums: ["k1": 2, "k2": 1, "unseen": 3])
        #expect(abs(predicted - (fit.b + 2 * fit.slope(kind: "k1") + 1 * fit.slope(kind: "k2") + 3 * fit.a)) < 1e-12)
        #expect(fit.slope(kind: "unseen") == fit.a)
        // A strong penalty pulls every slope to the common one.
        let shrunk = try KindCalibration.fit(kindSums: rows, measured: y, penalty: 1e6)
        #expect(shrunk.kindOffsets.values.allSatisfy { abs($0) < 1e-3 })
        #expect(throws: HwnasError.self) { try KindCalibration.fit(kindSums: rows, measured: y, penalty: 0) }
    }

    @Test func theKindIsTheBlockKindAndItsLargestActivationsOctave() {
        // 96 channels at 112 x 112 after the expansion: 4,816,896 bytes, log2 22.2.
        let mbconv = Block.mbconv(MBConvBlock(resolution: 112, inChannels: 16, outChannels: 24, mid: 96, kernel: 3, stride: 2,
                                              squeezeExcite: false, activation: .relu))
        #expect(mbconv.largestActivation == 96 * 112 * 112)
        #expect(CalibrationKind.of(mbconv, batch: 1) == "mbconv ~2^22 B")
        #expect(CalibrationKind.of(mbconv, batch: 4) == "mbconv ~2^24 B")
        // Q, K and V of 12 heads of 64 over 128 tokens (294,912 floats) outweigh the scores (196,608).
        let attention = Block.attention(AttentionBlock(sequence: 128, hidden: 768, heads: 12, headDim: 64, norm: .post))
        #expect(attention.largestActivation == 3 * 128 * 768)
        #expect(CalibrationKind.of(attention, batch: 1) == "mha ~2^20 B")
        // Over 384 tokens the scores (12 x 384 x 384) are the largest.
        let long = Block.attention(AttentionBlock(sequence: 384, hidden: 768, heads: 12, headDim: 64, norm: .post))
        #expect(long.largestActivation == 12 * 384 * 384)
        let ffn = Block.feedForward(FeedForwardBlock(sequence: 128, hidden: 768, intermediate: 3072, norm: .post))
        #expect(ffn.largestActivation == 128 * 3072)
    }

    @Test func oneSlopeDataKeepsOneSlopeAndPerKindDataGetsKinds() {
        let rows = Self.rows(60, seed: 7)
        var generator = SeededGenerator(seed: 8)
        let noise = rows.map { _ in 1 + Double.random(in: -0.02...0.02, using: &generator) }
        let sums = rows.map { $0.values.reduce(0, +) }
        let flat = zip(sums, noise).map { (0.3 + 1.2 * $0) * $1 }
        let byKind = zip(rows, noise).map { (0.3 + 1.0 * $0["k1"]! + 1.6 * $0["k2"]! + 0.8 * $0["k3"]!) * $1 }
        let keep = CalibrationSelection.select(sums: sums, kindSums: rows, measured: flat, seed: 1)
        #expect(keep.candidates.count == 1 + CalibrationSelection.penalties.count)
        #expect(keep.candidates[keep.chosen].model == CalibrationSelection.oneSlope)
        #expect(keep.chosenPenalty == nil)
        let kinds = CalibrationSelection.select(sums: sums, kindSums: rows, measured: byKind, seed: 1)
        #expect(kinds.candidates[kinds.chosen].model == CalibrationSelection.perKind)
        // The one-standard-error rule: nothing simpler than the choice is within reach of the best.
        let best = kinds.candidates.compactMap(\.cvMape).min()!
        #expect(kinds.candidates[kinds.chosen].cvMape! <= best + kinds.candidates.first { $0.cvMape == best }!.cvMapeStandardError!)
        #expect(kinds == CalibrationSelection.select(sums: sums, kindSums: rows, measured: byKind, seed: 1))
        // Too few sub-networks: one slope, nothing tried.
        let few = CalibrationSelection.select(sums: Array(sums.prefix(10)), kindSums: Array(rows.prefix(10)), measured: Array(byKind.prefix(10)), seed: 1)
        #expect(few.candidates.isEmpty && few.chosenPenalty == nil)
    }

    @Test func repeatsKeepTheMeanOfTheFastestHalf() {
        #expect(TableValidator.repeatedMeasurement([7.0]) == 7)
        #expect(TableValidator.repeatedMeasurement([9.0, 8]) == 8)
        #expect(TableValidator.repeatedMeasurement([9.0, 8, 10]) == 8.5)
        // Two runs slowed by a neighbour do not move it.
        #expect(TableValidator.repeatedMeasurement([8.1, 12.5, 7.9, 15.0]) == 8.0)
        #expect(TableValidator.repeatedMeasurement([8.1, 8.3, 7.9, 8.0]) == 7.95)
    }

    /// An OFA table at 224 px whose blocks cost their MACs, and sub-networks measured as if
    /// the large-activation blocks ran 40% slower in a network than alone.
    static func ofaCase(count: Int) throws -> (CostTable, [Subnet], [Double], OFAMobileNetV3Space) {
        let ofa = OFAMobileNetV3Space()
        let profile = CostModelTests.profile(space: ofa, settings: SpaceSettings(resolutions: [224])) { Double($0.macs) / 1e8 + 0.01 }
        let table = try CostTable(profiles: [(CostModelTests.url, profile)])
        var generator = SeededGenerator(seed: 9)
        var subnets: [Subnet] = []
        while subnets.count < count {
            var subnet = ofa.sample(using: &generator)
            subnet.values["r"] = [224]
            if !subnets.contains(subnet) { subnets.append(subnet) }
        }
        let lookup = table.lookup
        let measured = subnets.map { subnet in
            0.2 + ofa.blocks(of: subnet, settings: table.settings.spaceSettings).reduce(0) { total, block in
                total + lookup[block.key]!.medianMs * (block.largestActivation * 4 > 2_000_000 ? 1.4 : 1.0)
            } * (1 + 0.01 * Double.random(in: -1...1, using: &generator))
        }
        return (table, subnets, measured, ofa)
    }

    @Test func theHeldOutHalfNeverReachesTheFit() throws {
        let (table, subnets, measured, ofa) = try Self.ofaCase(count: 80)
        let first = try TableValidator.calibrate(table, subnets: subnets, space: ofa, measured: measured, seed: 1, sampling: "")
        let validation = try #require(first.validation)
        #expect(validation.n == 40 && validation.fitN == 40)
        #expect(validation.calibrationModel == CalibrationSelection.perKind)
        #expect(first.kindCalibration != nil)
        #expect(validation.oneSlope != nil)
        #expect(validation.calibrated.mape < validation.oneSlope!.mape)
        // The halves partition the sub-networks.
        let heldOut = Set(validation.heldOut.map(\.subnet)), fitted = Set(try #require(validation.fitted).map(\.subnet))
        #expect(heldOut.isDisjoint(with: fitted) && heldOut.count + fitted.count == subnets.count)

        // Any change to the held-out measurements leaves every fitted figure as it was.
        var scrambled = measured
        for i in subnets.indices where heldOut.contains(ofa.dynastString(subnets[i])) { scrambled[i] *= Double(i % 7 + 1) }
        let second = try TableValidator.calibrate(table, subnets: subnets, space: ofa, measured: scrambled, seed: 1, sampling: "")
        #expect(second.calibration == first.calibration)
        #expect(second.kindCalibration == first.kindCalibration)
        #expect(second.validation?.selection == validation.selection)
        #expect(second.validation?.fitted == validation.fitted)
        #expect(second.validation?.calibrated != validation.calibrated)

        // A change to one fitting measurement does move the fit.
        var nudged = measured
        let fitIndex = try #require(subnets.indices.first { fitted.contains(ofa.dynastString(subnets[$0])) })
        nudged[fitIndex] *= 1.3
        let third = try TableValidator.calibrate(table, subnets: subnets, space: ofa, measured: nudged, seed: 1, sampling: "")
        #expect(third.calibration != first.calibration)
    }

    @Test func predictionsExportsAndTheOneSlopeChoiceFollowTheCalibration() throws {
        let (table, subnets, measured, ofa) = try Self.ofaCase(count: 60)
        let calibrated = try TableValidator.calibrate(table, subnets: subnets, space: ofa, measured: measured, seed: 2, sampling: "")
        let kinds = try #require(calibrated.kindCalibration)
        let subnet = subnets[0]
        let lookup = calibrated.lookup
        let expected = ofa.blocks(of: subnet, settings: calibrated.settings.spaceSettings).reduce(kinds.b) { total, block in
            total + kinds.slope(kind: CalibrationKind.of(block, batch: 1)) * lookup[block.key]!.medianMs
        }
        let prediction = try calibrated.predict(subnet, space: ofa)
        #expect(abs(prediction.latencyMs - expected) < 1e-9)
        #expect(abs(prediction.sumMs - (try calibrated.sum(of: subnet, space: ofa))) == 0)
        // The held-out record is the prediction.
        let point = try #require(calibrated.validation?.heldOut.first)
        let again = try calibrated.predict(try ofa.subnet(parsing: point.subnet), space: ofa)
        #expect(abs(again.latencyMs - point.calibratedMs) < 1e-9)

        // Once-for-All's calibrated YAML: the plain sum of a sub-network's entries is the prediction.
        let yaml = try calibrated.onceForAllYAML(space: ofa, calibrated: true, source: "t.lut.json")[0].text
        var means: [String: Double] = [:]
        for line in yaml.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.components(separatedBy: ": {mean: ")
            means[parts[0]] = Double(parts[1].components(separatedBy: ",")[0])!
        }
        let yamlSum = ofa.blocks(of: subnet, settings: calibrated.settings.spaceSettings).reduce(0) { total, block in
            total + means[CostTable.onceForAllKey(block)!]!
        }
        #expect(abs(yamlSum - prediction.latencyMs) < 1e-6)
        #expect(yaml.contains("per kind") == false && yaml.contains("kindCalibration"))

        // --calibration one-slope: the same split, one slope, no selection, no kinds.
        let one = try TableValidator.calibrate(table, subnets: subnets, space: ofa, measured: measured, seed: 2,
                                               calibrationModel: CalibrationSelection.oneSlope, sampling: "")
        #expect(one.kindCalibration == nil && one.validation?.selection == nil && one.validation?.oneSlope == nil)
        #expect(one.calibration == calibrated.calibration)
        #expect(one.validation?.calibrated == calibrated.validation?.oneSlope)
        #expect(one.calibrationModel == CalibrationSelection.oneSlope && calibrated.calibrationModel == CalibrationSelection.perKind)
    }
}
