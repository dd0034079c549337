import Support
import Testing

@Suite struct CSVTableTests {
    @Test func quotedFieldsKeepCommasQuotesAndLineBreaks() throws {
        let text = "a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n"
        let table = try CSVTable(parsing: text, source: "t.csv")
        #expect(table.header == ["a", "b", "c"])
        #expect(table.rows.count == 2)
        #expect(table.rows[0].fields == ["1", "x, y", "say \"hi\""])
        #expect(table.rows[1].fields == ["2", "two\nlines", "z"])
        #expect(table.rows[0].line == 2)
        #expect(table.rows[1].line == 3)
    }

    @Test func loneCarriageReturnsEndLines() throws {
        let table = try CSVTable(parsing: "a,b\r1,\"x\ry\"\r2,3\r", source: "t.csv")
        #expect(table.header == ["a", "b"])
        #expect(table.rows.map(\.fields) == [["1", "x\ry"], ["2", "3"]])
        #expect(table.rows.map(\.line) == [2, 4])
        let mixed = try CSVTable(parsing: "a\r\n1\r2\n3", source: "t.csv")
        #expect(mixed.rows.map(\.fields) == [["1"], ["2"], ["3"]])
        #expect(mixed.rows.map(\.line) == [2, 3, 4])
    }

    @Test func byteOrderMarkIsNotPartOfTheHeader() throws {
        let table = try CSVTable(parsing: "\u{FEFF}Sub-network,b\n1,2\n", source: "t.csv")
        #expect(table.header == ["Sub-network", "b"])
        #expect(try table.column("Sub-network", source: "t.csv") == 0)
    }

    @Test func lastLineWithoutNewline() throws {
        let table = try CSVTable(parsing: "a,b\n1,2", source: "t.csv")
        #expect(table.rows.map(\.fields) == [["1", "2"]])
    }

    @Test func errorsNameTheFile() throws {
        let empty = try #require(throws: HwnasError.self) { try CSVTable(parsing: "", source: "e.csv") }
        #expect(empty.message.contains("e.csv is empty"), "message: \(empty.message)")
        #expect { try CSVTable(parsing: "a,b\n1,\"open", source: "q.csv") } throws: { error in
            (error as? HwnasError)?.message.contains("q.csv: line 2") == true
        }
        let table = try CSVTable(parsing: "a,b\n", source: "t.csv")
        #expect { try table.column("c", source: "t.csv") } throws: { error in
            (error as? HwnasError)?.message.contains("no column 'c'") == true
        }
    }
}
