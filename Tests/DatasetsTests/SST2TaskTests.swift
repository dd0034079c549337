import Datasets
import Foundation
import Support
import Testing

/// SST-2: the repository's copy gives the splits the issue states; columns are found by name;
/// files without a label column, with a bad label or a broken row are refused by file and line.
@Suite struct SST2TaskTests {
    @Test func theRepositoryCopyHasTheStatedSplits() throws {
        let task = SST2Task(folder: TestFiles.sst2)
        let train = try task.examples(.train)
        let val = try task.examples(.val)
        let dev = try task.examples(.dev)
        #expect(train.count == 65_349)
        #expect(val.count == 2_000)
        #expect(dev.count == 872)
        #expect(train.first == LabelledText(text: "hide new secretions from the parental units", label: 0, line: 2))
        #expect(train.last == LabelledText(text: "wilde 's wit and", label: 1, line: 65_350))
        #expect(train.last?.line == 65_350 && val.first?.line == 65_351 && val.last?.line == 67_350)
        #expect(dev.first == LabelledText(text: "one long string of cliches .", label: 0, line: 2))
        // CRLF line ends are not part of the text.
        #expect(!train.contains { $0.text.unicodeScalars.contains("\r") })
        #expect(Set(dev.map(\.label)) == [0, 1] && dev.filter { $0.label == 1 }.count == 444)
    }

    @Test func findsColumnsByName() throws {
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try TestFiles.write("\u{FEFF}id\tsentence\tlabel\r\n7\tgood fun\t1\r\n\r\n8\tdull\t0\r\n", to: "dev.tsv", in: folder)
        #expect(try SST2Task.read(url) == [LabelledText(text: "good fun", label: 1, line: 2), LabelledText(text: "dull", label: 0, line: 4)])
    }

    @Test func refusesAFileWithoutALabelOrTextColumn() throws {
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let noLabel = try TestFiles.write("sentence\tscore\ngood\t1\n", to: "a.tsv", in: folder)
        #expect(throws: HwnasError("\(noLabel.path) has no label column: expected 'label' in its header (it has 'sentence', 'score')")) {
            try SST2Task.read(noLabel)
        }
        let noText = try TestFiles.write("label\ttext\n1\tgood\n", to: "b.tsv", in: folder)
        #expect(throws: HwnasError("\(noText.path) has no text column: expected 'sentence' or 'content' in its header (it has 'label', 'text')")) {
            try SST2Task.read(noText)
        }
    }

    @Test func refusesBadRowsByLine() throws {
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let badLabel = try TestFiles.write("label\tsentence\n1\tgood\npositive\tfine\n", to: "a.tsv", in: folder)
        #expect(throws: HwnasError("\(badLabel.path):3: label 'positive' is not 0 (negative) or 1 (positive)")) {
            try SST2Task.read(badLabel)
        }
        let two = try TestFiles.write("label\tsentence\n2\tgood\n", to: "b.tsv", in: folder)
        #expect(throws: HwnasError("\(two.path):2: label '2' is not 0 (negative) or 1 (positive)")) { try SST2Task.read(two) }
        let fields = try TestFiles.write("label\tsentence\n1\tgood\textra\n", to: "c.tsv", in: folder)
        #expect(throws: HwnasError("\(fields.path):2: 3 tab-separated fields; the header has 2 (label, sentence)")) {
            try SST2Task.read(fields)
        }
        let empty = try TestFiles.write("\n\n", to: "d.tsv", in: folder)
        #expect(throws: HwnasError("\(empty.path) is empty; expected a header line and tab-separated rows")) { try SST2Task.read(empty) }
        let missing = folder.appendingPathComponent("none.tsv")
        #expect(throws: HwnasError("cannot read \(missing.path): no such file or not readable")) { try SST2Task.read(missing) }
    }

    @Test func refusesATrainFileTooShortForTheValidationSplit() throws {
        let folder = try TestFiles.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try TestFiles.write("label\tsentence\n" + String(repeating: "1\tgood\n", count: 2_000), to: "train.tsv", in: folder)
        let task = SST2Task(folder: folder)
        #expect(throws: HwnasError("\(folder.appendingPathComponent("train.tsv").path) has 2000 phrases; the train split needs more than the 2000 held out as val")) {
            try task.examples(.val)
        }
    }
}
