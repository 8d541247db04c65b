import Foundation
import VigilCore

extension RequestExecution {
    /// A file's bytes, read only from inside the collection's root or an `--allow-path` folder
    /// (``FileBounds``, the rule of `file:` bodies).
    func readFile(_ path: String) throws -> [UInt8] {
        let folder = (collection.file as NSString).deletingLastPathComponent
        let bounds = FileBounds(roots: [collection.root ?? (folder.isEmpty ? "." : folder)] + context.allowedPaths)
        let full: String
        switch bounds.resolve(path, relativeTo: folder.isEmpty ? "." : folder) {
        case .success(let p): full = p
        case .failure(let e): throw e
        }
        guard let data = FileManager.default.contents(atPath: full) else { throw FileBoundsError("file '\(path)' cannot be read") }
        return Array(data)
    }

    /// A `multipart/form-data` body (RFC 7578): each part with its `Content-Disposition`, a
    /// file's bytes as they are (binary safe), and a boundary that none of them contains.
    func multipart(_ parts: [MultipartPart]) throws -> (body: [UInt8], boundary: String, files: [String]) {
        var rendered: [(head: String, bytes: [UInt8])] = []
        var files: [String] = []
        for part in parts {
            var head = "Content-Disposition: form-data; name=\"\(Self.quoted(part.name))\""
            let bytes: [UInt8]
            var contentType = try part.contentType?.render(store)
            switch part.content {
            case .text(let t):
                bytes = Array(try t.render(store).utf8)
            case .file(let t):
                let path = try t.render(store)
                bytes = try readFile(path)
                files.append(path)
                let filename = try part.filename?.render(store) ?? (path as NSString).lastPathComponent
                head += "; filename=\"\(Self.quoted(filename))\""
                contentType = contentType ?? "application/octet-stream"
            }
            if let contentType {
                if Self.breaksALine(contentType) { throw HeaderInjection(name: "Content-Type of multipart field '\(part.name)'") }
                head += "\r\nContent-Type: \(contentType)"
            }
            rendered.append((head, bytes))
        }
        var boundary = Self.newBoundary()
        while rendered.contains(where: { Self.contains($0.bytes, Array(boundary.utf8)) }) { boundary = Self.newBoundary() }
        var body: [UInt8] = []
        body.reserveCapacity(rendered.reduce(64) { $0 + $1.bytes.count + $1.head.utf8.count + boundary.utf8.count + 8 })
        for part in rendered {
            body += Array("--\(boundary)\r\n\(part.head)\r\n\r\n".utf8)
            body += part.bytes
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (body, boundary, files)
    }

    /// A field name or file name inside quotes: `"`, CR and LF percent-encoded (as browsers do).
    static func quoted(_ text: String) -> String {
        text.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
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
