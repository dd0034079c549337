import ArgumentParser
import Datasets
import Foundation
import Support

/// `hwnas tokenize`: BERT WordPiece ids of lines of text, as fine-tuning feeds them to the model.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Tokenize lines of text from stdin into BERT WordPiece ids, one JSON array per line.",
        discussion: """
            Reads UTF-8 text from stdin and writes one line per input line: the token ids as a \
            JSON array, [CLS] first and [SEP] last ([101,...,102] for BERT). --json writes an \
            object per line instead: {"ids":[...],"tokens":[...]}.

            The tokenizer is BERT uncased, id for id as Hugging Face `tokenizers` with the \
            model's tokenizer.json: control characters removed, CJK ideographs split, accents \
            stripped, lower case, words split at whitespace and punctuation, greedy longest-match \
            WordPiece with ## continuations, [UNK] for a word no pieces spell or one longer than \
            100 characters. Only vocab.txt is read from the model folder (id = line number). \
            --max-length keeps the first tokens so that [CLS], they and [SEP] fit; fine-tuning \
            uses 64 (the model's tokenizer.json says 128; the model takes at most 512).

            Examples:
              echo "A gorgeous, witty film." | hwnas tokenize
              hwnas tokenize --max-length 64 < sentences.txt > ids.jsonl
              cut -f2 data/sst2/dev.tsv | tail -n +2 | hwnas tokenize --json --model path/to/model
            """
    )

    @Option(help: ArgumentHelp("The model folder holding vocab.txt (make setup fetches the default one).", valueName: "folder"),
            completion: .directory)
    var model: String = ModelFolder.defaultPath

    @Option(name: .customLong("max-length"), help: ArgumentHelp("Tokens at most per line, [CLS] and [SEP] included.", valueName: "n"))
    var maxLength: Int = 512

    @Flag(help: "Write {\"ids\":[...],\"tokens\":[...]} per line instead of the ids alone.")
    var json = false

    func validate() throws {
        if maxLength < 2 { throw ValidationError("--max-length must be at least 2 (room for [CLS] and [SEP]); got \(maxLength)") }
    }

    func run() throws {
        let tokenizer = try WordPieceTokenizer(vocabularyFile: try ModelFolder(path: model).vocabulary())
        let encoder = json ? Self.tokensEncoder() : nil
        var output = Data()
        output.reserveCapacity(1 << 16)
        while let line = readLine(strippingNewline: true) {
            let tokenized = tokenizer.encode(line, maxLength: maxLength)
            output.append(contentsOf: try Self.line(tokenized, tokens: encoder).utf8)
            output.append(0x0A)
            if output.count >= 1 << 16 {
                FileHandle.standardOutput.write(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(output)
    }

    /// One output line, without its newline: the ids, or with `tokens` an object of ids and
    /// tokens.
    static func line(_ tokenized: TokenizedText, tokens encoder: JSONEncoder?) throws -> String {
        let ids = "[" + tokenized.ids.map(String.init).joined(separator: ",") + "]"
        guard let encoder else { return ids }
        let tokens = try encoder.encode(tokenized.tokens)
        return "{\"ids\":\(ids),\"tokens\":\(String(decoding: tokens, as: UTF8.self))}"
    }

    /// One-line JSON in which tokens such as `/` stay unescaped.
    static func tokensEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}
