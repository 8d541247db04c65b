#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VigilCore

extension RequestExecution {
    /// A file's bytes, read only from inside the collection's root or an `--allow-path` folder
    /// (``FileBounds``, the rule of `file:` bodies).
    func readFile(_ path: String, from sourceFile: String? = nil) throws -> [UInt8] {
        let full = try resolveFile(path, from: sourceFile)
        guard let data = FileManager.default.contents(atPath: full) else { throw FileBoundsError("file '\(path)' cannot be read") }
        return Array(data)
    }

    /// Where a file the collection names is, inside its bounds (at most `maxBytes`).
    /// `sourceFile`: the fragment the path is written in (relative to it), else the collection.
    func resolveFile(_ path: String, maxBytes: Int = 64 * 1024 * 1024, from sourceFile: String? = nil) throws -> String {
        let folder = PathText.folder(of: sourceFile ?? collection.file)
        let bounds = FileBounds(roots: [collectionRoot] + context.allowedPaths, maxBytes: maxBytes)
        switch bounds.resolve(path, relativeTo: folder.isEmpty ? "." : folder) {
        case .success(let p): return p
        case .failure(let e): throw e
        }
    }

    /// A `multipart/form-data` body (RFC 7578): each part with its `Content-Disposition`, a
    /// file's bytes as they are (binary safe, read from disk as the body is sent), and a random
    /// boundary (96 bits) that no text part contains.
    func multipart(_ parts: [MultipartPart], from sourceFile: String? = nil) throws -> (body: StreamedBody, boundary: String, files: [String]) {
        var rendered: [(head: String, content: StreamedBody.Piece)] = []
        var files: [String] = []
        for part in parts {
            var head = "Content-Disposition: form-data; name=\"\(Self.quoted(part.name))\""
            let content: StreamedBody.Piece
            var contentType = try part.contentType?.render(store)
            switch part.content {
            case .text(let t):
                content = .bytes(Array(try t.render(store).utf8))
            case .file(let t):
                let path = try t.render(store)
                let full = try resolveFile(path, maxBytes: MultipartPart.maxFileBytes, from: sourceFile)
                guard let size = (try? FileManager.default.attributesOfItem(atPath: full))?[.size] as? Int else {
                    throw FileBoundsError("file '\(path)' cannot be read")
                }
                content = .file(path: full, size: size)
                files.append(path)
                let filename = try part.filename?.render(store) ?? PathText.lastComponent(path)
                head += "; filename=\"\(Self.quoted(filename))\""
                contentType = contentType ?? "application/octet-stream"
            }
            if let contentType {
                if HeaderText.hasControl(contentType) {
                    throw HeaderInjection(name: "Content-Type", value: contentType, place: " of multipart field '\(part.name)'")
                }
                head += "\r\nContent-Type: \(contentType)"
            }
            rendered.append((head, content))
        }
        var boundary = Self.newBoundary()
        func holdsBoundary(_ piece: StreamedBody.Piece) -> Bool {
            if case .bytes(let b) = piece { return Self.contains(b, Array(boundary.utf8)) }
            return false
        }
        while rendered.contains(where: { holdsBoundary($0.content) }) { boundary = Self.newBoundary() }
        var pieces: [StreamedBody.Piece] = []
        var pending: [UInt8] = []
        for part in rendered {
            pending += Array("--\(boundary)\r\n\(part.head)\r\n\r\n".utf8)
            switch part.content {
            case .bytes(let b): pending += b
            case .file:
                pieces.append(.bytes(pending))
                pieces.append(part.content)
                pending = []
            }
            pending += Array("\r\n".utf8)
        }
        pending += Array("--\(boundary)--\r\n".utf8)
        pieces.append(.bytes(pending))
        return (StreamedBody(pieces: pieces), boundary, files)
    }

    /// A field name or file name inside quotes: `"`, CR and LF percent-encoded (as browsers do).
    static func quoted(_ text: String) -> String {
        text.replacing("\"", with: "%22").replacing("\r", with: "%0D").replacing("\n", with: "%0A")
    }

    static func newBoundary() -> String {
        "vigil-" + (0..<24).map { _ in String("0123456789abcdef".randomElement()!) }.joined()
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= hay.count, let first = needle.first else { return false }
        var i = 0
        while i <= hay.count - needle.count {
            if hay[i] == first, hay[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
