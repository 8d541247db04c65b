import Hummingbird
import NIOCore
import VigilJSON

/// The Config API's response wrappers (`array`, `data`, `result`, `error`, with `tasks`, `resources`,
/// `definitions` beside `data`), and the error texts the real server uses.
enum Envelope {
    static func array(_ items: [JSONValue]) -> JSONValue { .object(["array": .array(items)]) }
    static func data(_ value: JSONValue) -> JSONValue { .object(["data": value]) }
    static func result(_ value: JSONValue) -> JSONValue { .object(["result": value]) }

    /// `{"error":{"httpCode":N,"details":[{"errorText":…[,"property":…]}]}}`
    static func error(_ code: Int, _ text: String, property: String? = nil) -> JSONValue {
        var detail: JSONObject = ["errorText": .string(text)]
        if let property { detail["property"] = .string(property) }
        return .object(["error": .object(["httpCode": .int(Int64(code)), "details": .array([.object(detail)])])])
    }

    /// A `{"id","displayName"}` task list entry.
    static func task(_ id: String, _ displayName: String) -> JSONValue {
        .object(["id": .string(id), "displayName": .string(displayName)])
    }

    static func path(_ type: String, _ id: String) -> JSONValue {
        .object(["type": .string(type), "id": .string(id)])
    }
}

extension Reply {
    static func error(_ code: Int, _ text: String, property: String? = nil) -> Reply {
        .json(.init(code: code), Envelope.error(code, text, property: property))
    }

    static func unknownResource(_ name: String) -> Reply { .error(404, "Unknown resource: \(name)") }
    static var notFoundID: Reply { .error(404, "Not Found, the requested id does not exist") }
    static var unauthorized: Reply {
        var reply = Reply.error(401, "Unauthorized")
        reply.headers[.wwwAuthenticate] = "Bearer"
        return reply
    }
    static func badRequest(_ text: String, property: String? = nil) -> Reply { .error(400, text, property: property) }
    static func methodNotAllowed(_ allowed: String) -> Reply {
        var reply = Reply.error(405, "The requested resource does not support http method")
        reply.headers[.allow] = allowed
        return reply
    }
    static func unknownTask(_ name: String) -> Reply { .badRequest("Bad request: Unknown task: \(name)") }

    /// The page IIS serves for paths outside `/api` and `/IDP`.
    static var iisNotFound: Reply {
        var reply = Reply(status: .notFound, body: ByteBuffer(string: iisNotFoundHTML), kind: .html)
        reply.headers[.contentType] = "text/html"
        return reply
    }

    private static let iisNotFoundHTML = """
        <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">
        <html xmlns="http://www.w3.org/1999/xhtml">
        <head>
        <meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"/>
        <title>404 - File or directory not found.</title>
        </head>
        <body>
        <div id="header"><h1>Server Error</h1></div>
        <div id="content">
         <div class="content-container"><fieldset>
          <h2>404 - File or directory not found.</h2>
          <h3>The resource you are looking for might have been removed, had its name changed, or is temporarily unavailable.</h3>
         </fieldset></div>
        </div>
        </body>
        </html>

        """
}
