import Testing
@testable import VigilCore

/// Issue 14, point 4: `--shard i/n`, the rule as values.
@Suite struct ShardTests {
    static let files = [
        "suite/b.yaml", "suite/a.yaml", "suite/sub/z.yaml", "other/c.yaml", "suite/B.yaml", "suite/é.yaml", "suite/a0.yaml",
    ]

    @Test(arguments: 1...9)
    func everyFileIsInExactlyOneShardAndTheSharesDifferByAtMostOne(_ n: Int) throws {
        var seen: [String: Int] = [:]
        var sizes: [Int] = []
        for i in 1...n {
            let mine = try Shard(index: i, count: n).select(Self.files)
            sizes.append(mine.count)
            for f in mine { seen[f, default: 0] += 1 }
        }
        #expect(seen.count == Self.files.count)
        #expect(seen.values.allSatisfy { $0 == 1 })
        #expect(sizes.max()! - sizes.min()! <= 1)
    }

    @Test func theRuleIsRankInByteOrderModuloN() throws {
        // Byte order: "other/c" < "suite/B" < "suite/a" < "suite/a0" < "suite/b" < "suite/sub/z" < "suite/é".
        // Ranks 0, 3, 6 → shard 1; 1, 4 → shard 2; 2, 5 → shard 3; each kept in the order given.
        #expect(try Shard(index: 1, count: 3).select(Self.files) == ["other/c.yaml", "suite/é.yaml", "suite/a0.yaml"])
        #expect(try Shard(index: 2, count: 3).select(Self.files) == ["suite/b.yaml", "suite/B.yaml"])
        #expect(try Shard(index: 3, count: 3).select(Self.files) == ["suite/a.yaml", "suite/sub/z.yaml"])
    }

    @Test func theShareDependsOnThePathsNotTheirOrder() throws {
        let reversed = Array(Self.files.reversed())
        for i in 1...3 {
            let shard = try Shard(index: i, count: 3)
            #expect(Set(shard.select(reversed)) == Set(shard.select(Self.files)))
            // A shard keeps the order it was given.
            #expect(shard.select(reversed) == Array(shard.select(Self.files).reversed()))
        }
    }

    @Test func aFileGivenTwiceIsInOneShardOnly() throws {
        let files = ["a.yaml", "b.yaml", "a.yaml"]
        #expect(try Shard(index: 1, count: 2).select(files) == ["a.yaml", "a.yaml"])
        #expect(try Shard(index: 2, count: 2).select(files) == ["b.yaml"])
    }

    @Test func oneShardIsTheWholeRunAndMoreShardsThanFilesLeaveSomeEmpty() throws {
        #expect(try Shard(index: 1, count: 1).select(Self.files) == Self.files)
        #expect(try Shard(index: 9, count: 9).select(Self.files).isEmpty)
    }

    @Test func parsing() throws {
        let s = try Shard(parsing: "2/3")
        #expect(s.index == 2 && s.count == 3 && s.description == "2/3")
        #expect(try Shard(parsing: " 1 / 1 ").description == "1/1")
    }

    @Test(arguments: [
        ("0/3", "i from 1 to n (1-based), got 0/3"), ("4/3", "i from 1 to n (1-based), got 4/3"), ("1/0", "n at least 1, got 1/0"),
        ("-1/2", "i from 1 to n"), ("x", "takes i/n (this machine's share, 1-based, e.g. 2/3), got 'x'"), ("1/2/3", "got '1/2/3'"),
        ("", "got ''"), ("1/", "got '1/'"),
    ])
    func badValuesSayWhatIsExpected(_ text: String, _ message: String) {
        #expect {
            _ = try Shard(parsing: text)
        } throws: { error in
            (error as? ShardError)?.description.contains(message) == true
        }
    }
}
