//! `dfslim server`: a language server over stdio, on `lsp-server` and `lsp-types` (what
//! rust-analyzer and ruff use). It runs the same code as the commands: `check`'s rules for
//! the diagnostics, with the pragmas and the `.dfslim.yaml` that applies to the document,
//! and `rewrite`'s planner for the code action on DFS001. Documents are held in memory as
//! the editor sends them; nothing is written to disk.
//!
//! Positions: LSP counts columns in UTF-16 code units, dfslim in bytes; [`LineIndex`]
//! converts both ways.

use std::collections::HashMap;
use std::path::PathBuf;

use lsp_server::{Connection, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DocumentChanges, Hover, HoverContents, HoverParams, HoverProviderCapability, Location,
    MarkupContent, MarkupKind, NumberOrString, OneOf, OptionalVersionedTextDocumentIdentifier,
    Position, PublishDiagnosticsParams, Range, ServerCapabilities, TextDocumentEdit,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextEdit, Uri, WorkspaceEdit,
};

use dfslim::analysis::image_ref::ImageRef;
use dfslim::analysis::model::Model;
use dfslim::rewrite::plan::Status;
use dfslim::rewrite::{self, Options};
use dfslim::rules::{self, Severity};
use dfslim::syntax::{self, Keyword, Span};

use super::Outcome;
use super::config::{ConfigArgs, Settings, SettingsResolver};

/// The title of the code action on DFS001.
pub const FIX_TITLE: &str = "Make the final stage distroless";

pub fn run() -> Outcome {
    let (connection, writer) = super::lsp_transport::stdio();
    let capabilities = ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        ..ServerCapabilities::default()
    };
    let Ok(capabilities) = serde_json::to_value(capabilities) else {
        return Outcome::Error;
    };
    if let Err(e) = connection.initialize(capabilities) {
        super::lsp_transport::log_error(&format!("cannot initialize: {e}"));
        drop(connection);
        let _ = writer.join();
        return Outcome::Error;
    }
    let mut server = Server {
        connection: &connection,
        documents: HashMap::new(),
        config: ConfigArgs::default(),
    };
    let outcome = server.serve();
    drop(connection);
    // What the server sent is written before the process ends.
    let _ = writer.join();
    outcome
}

struct Server<'c> {
    connection: &'c Connection,
    /// Open documents by URI (as text: `Uri` is no hash key).
    documents: HashMap<String, String>,
    config: ConfigArgs,
}

impl Server<'_> {
    /// Requests and notifications until `exit`. After `shutdown`, requests get
    /// InvalidRequest, as LSP asks, and `exit` ends the server with 0; an `exit` without a
    /// `shutdown` before it ends it with 1.
    fn serve(&mut self) -> Outcome {
        let mut shut_down = false;
        for message in &self.connection.receiver {
            match message {
                Message::Request(request) => {
                    let response = if shut_down {
                        Response::new_err(
                            request.id,
                            lsp_server::ErrorCode::InvalidRequest as i32,
                            format!(
                                "{} after shutdown: the server is shutting down",
                                request.method
                            ),
                        )
                    } else if request.method == "shutdown" {
                        shut_down = true;
                        Response::new_ok(request.id, ())
                    } else {
                        self.request(request)
                    };
                    if self.connection.sender.send(response.into()).is_err() {
                        return Outcome::Error;
                    }
                }
                Message::Notification(notification) if notification.method == "exit" => {
                    // LSP's exit code for an exit without shutdown is 1.
                    return if shut_down {
                        Outcome::Clean
                    } else {
                        Outcome::Findings
                    };
                }
                Message::Notification(notification) => {
                    if !shut_down {
                        self.notification(notification);
                    }
                }
                Message::Response(_) => {}
            }
        }
        Outcome::Clean
    }

    fn request(&self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            CodeActionRequest::METHOD => serde_json::from_value::<CodeActionParams>(request.params)
                .map(|params| serde_json::to_value(self.code_actions(&params))),
            HoverRequest::METHOD => serde_json::from_value::<HoverParams>(request.params)
                .map(|params| serde_json::to_value(self.hover(&params))),
            _ => {
                return Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("dfslim server does not handle {}", request.method),
                );
            }
        };
        match result {
            Ok(Ok(value)) => Response::new_ok(id, value),
            Ok(Err(e)) | Err(e) => Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                e.to_string(),
            ),
        }
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<DidOpenTextDocumentParams>(notification.params)
                {
                    let uri = params.text_document.uri;
                    self.documents
                        .insert(uri.as_str().to_string(), params.text_document.text);
                    self.publish(&uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<DidChangeTextDocumentParams>(notification.params)
                {
                    // Full sync: the last change holds the whole text.
                    if let Some(change) = params.content_changes.into_iter().last() {
                        let uri = params.text_document.uri;
                        self.documents.insert(uri.as_str().to_string(), change.text);
                        self.publish(&uri);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(params) =
                    serde_json::from_value::<DidCloseTextDocumentParams>(notification.params)
                {
                    let uri = params.text_document.uri;
                    self.documents.remove(uri.as_str());
                    self.send_diagnostics(uri, Vec::new());
                }
            }
            _ => {}
        }
    }

    /// The settings of the `.dfslim.yaml` that applies to the document's path (for a
    /// `file:` URI), or the defaults.
    fn settings(&self, uri: &Uri) -> Result<Settings, String> {
        let path = file_path(uri);
        let mut resolver = SettingsResolver::new(&self.config);
        let shared = resolver.for_file(path.as_deref());
        shared.as_ref().clone()
    }

    fn publish(&self, uri: &Uri) {
        let Some(text) = self.documents.get(uri.as_str()) else {
            return;
        };
        let diagnostics = match self.settings(uri) {
            Ok(settings) => diagnostics(uri, text, &settings),
            Err(e) => vec![diagnostic(
                Range::default(),
                DiagnosticSeverity::ERROR,
                "config",
                format!("bad config: {e}"),
            )],
        };
        self.send_diagnostics(uri.clone(), diagnostics);
    }

    fn send_diagnostics(&self, uri: Uri, diagnostics: Vec<Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        };
        let Ok(params) = serde_json::to_value(params) else {
            return;
        };
        let _ = self
            .connection
            .sender
            .send(Notification::new(PublishDiagnostics::METHOD.to_string(), params).into());
    }

    /// "Make the final stage distroless" on a DFS001 diagnostic, when the rewrite goes
    /// through: its edits, as text edits against the document.
    fn code_actions(&self, params: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &params.text_document.uri;
        let Some(text) = self.documents.get(uri.as_str()) else {
            return Vec::new();
        };
        let on_dfs001 = params
            .context
            .diagnostics
            .iter()
            .any(|d| d.code == Some(NumberOrString::String("DFS001".into())));
        if !on_dfs001 {
            return Vec::new();
        }
        let Ok(settings) = self.settings(uri) else {
            return Vec::new();
        };
        let Some(edits) = rewrite_edits(text, &settings) else {
            return Vec::new();
        };
        let changes = DocumentChanges::Edits(vec![TextDocumentEdit {
            text_document: OptionalVersionedTextDocumentIdentifier {
                uri: uri.clone(),
                version: None,
            },
            edits: edits.into_iter().map(OneOf::Left).collect(),
        }]);
        vec![CodeActionOrCommand::CodeAction(CodeAction {
            title: FIX_TITLE.into(),
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(
                params
                    .context
                    .diagnostics
                    .iter()
                    .filter(|d| d.code == Some(NumberOrString::String("DFS001".into())))
                    .cloned()
                    .collect(),
            ),
            edit: Some(WorkspaceEdit {
                document_changes: Some(changes),
                ..WorkspaceEdit::default()
            }),
            is_preferred: Some(true),
            ..CodeAction::default()
        })]
    }

    /// On a FROM line: the image's level and what the catalogue knows about it.
    fn hover(&self, params: &HoverParams) -> Option<Hover> {
        let position = &params.text_document_position_params;
        let text = self.documents.get(position.text_document.uri.as_str())?;
        let settings = self.settings(&position.text_document.uri).ok()?;
        let index = LineIndex::new(text);
        let offset = index.offset(text, position.position);
        let tree = syntax::parse(text);
        let model = Model::new(text, &tree, &settings.catalogue, None);
        let stage = model.stages.stages.iter().find(|s| {
            s.from.keyword == Keyword::From
                && s.from.line_span.start <= offset
                && offset <= s.from.line_span.end
        })?;
        let range = index.range(text, stage.from.line_span);
        let value = match model.root_image(stage.index) {
            Some(image) => describe_image(&model, stage.index, image),
            None => "The image of this stage is not known statically.".to_string(),
        };
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            }),
            range: Some(range),
        })
    }
}

/// The path of a `file:` URI.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let path = text.strip_prefix("file://")?;
    Some(PathBuf::from(percent_decode(path)))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(byte) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The findings of `check` for a text, as diagnostics. A DFS001 whose rewrite declines says
/// why, so that the missing code action is explained, and points at every blocker (its
/// related information), as `rewrite` lists them.
fn diagnostics(uri: &Uri, text: &str, settings: &Settings) -> Vec<Diagnostic> {
    let index = LineIndex::new(text);
    let tree = syntax::parse(text);
    let errors = |errors: &[syntax::SyntaxError]| -> Vec<Diagnostic> {
        errors
            .iter()
            .map(|e| {
                diagnostic(
                    index.range(text, e.span),
                    DiagnosticSeverity::ERROR,
                    e.code,
                    e.message.clone(),
                )
            })
            .collect()
    };
    if tree.has_errors() {
        return errors(&tree.errors);
    }
    let model = Model::new(text, &tree, &settings.catalogue, None);
    if !model.errors.is_empty() {
        return errors(&model.errors);
    }
    rules::check(&model, &settings.selection)
        .into_iter()
        .map(|finding| {
            let mut message = finding.message.clone();
            let mut related = Vec::new();
            if finding.rule.code == "DFS001"
                && let Some(blockers) = rewrite_blockers(text, settings)
                && let Some(first) = blockers.first()
            {
                message.push_str(&format!(" (dfslim cannot rewrite it: {})", first.message));
                related = blockers
                    .iter()
                    .filter_map(|b| {
                        Some(DiagnosticRelatedInformation {
                            location: Location {
                                uri: uri.clone(),
                                range: index.range(text, b.span?),
                            },
                            message: format!("{}: {}", b.code, b.message),
                        })
                    })
                    .collect();
            }
            let mut diagnostic = diagnostic(
                index.range(text, finding.span),
                match finding.rule.severity {
                    Severity::Error => DiagnosticSeverity::ERROR,
                    Severity::Warning => DiagnosticSeverity::WARNING,
                    Severity::Info => DiagnosticSeverity::INFORMATION,
                },
                finding.rule.code,
                message,
            );
            if !related.is_empty() {
                diagnostic.related_information = Some(related);
            }
            diagnostic
        })
        .collect()
}

fn diagnostic(
    range: Range,
    severity: DiagnosticSeverity,
    code: &str,
    message: String,
) -> Diagnostic {
    Diagnostic {
        range,
        severity: Some(severity),
        code: Some(NumberOrString::String(code.to_string())),
        source: Some("dfslim".into()),
        message,
        ..Diagnostic::default()
    }
}

/// The rewrite of a text, with the options its config gives (`None`: it does not parse).
fn rewrite(text: &str, settings: &Settings) -> Option<rewrite::Rewritten> {
    let options = Options {
        family: settings
            .config
            .target_family
            .as_deref()
            .and_then(super::rewrite_cmd::parse_family)
            .unwrap_or(dfslim::analysis::catalogue::TargetFamily::Distroless),
        base: settings.config.base.clone(),
        stage_name: settings
            .config
            .stage_name
            .clone()
            .unwrap_or_else(|| "build".into()),
        allow_version_change: settings.config.allow_version_change.unwrap_or(false),
        libraries_from_image: false,
    };
    rewrite::rewrite_text(text, &settings.catalogue, None, &options, None).ok()
}

/// The rewrite's edits as text edits, when it goes through.
fn rewrite_edits(text: &str, settings: &Settings) -> Option<Vec<TextEdit>> {
    let done = rewrite(text, settings)?;
    if done.plan.status != Status::Rewritten {
        return None;
    }
    let index = LineIndex::new(text);
    Some(
        done.plan
            .edits
            .iter()
            .map(|edit| TextEdit {
                range: index.range(text, edit.span),
                new_text: edit.text.clone(),
            })
            .collect(),
    )
}

/// What blocks the rewrite, the most fundamental first, if it declines.
fn rewrite_blockers(text: &str, settings: &Settings) -> Option<Vec<rewrite::Decline>> {
    let done = rewrite(text, settings)?;
    (done.plan.status == Status::Declined && !done.plan.blockers.is_empty())
        .then_some(done.plan.blockers)
}

/// What the catalogue knows of a stage's image, as Markdown.
fn describe_image(model: &Model<'_>, stage: usize, image: &ImageRef) -> String {
    let mut text = format!("**{}**: level `{}`", image.familiar(), model.level(stage));
    match model.facts(stage) {
        Some(facts) => {
            text.push_str(&format!(
                "\n\n- shell: {}\n- package manager: {}\n- libc: {}\n- user: {}",
                if facts.shell { "yes" } else { "no" },
                facts.package_manager.as_deref().unwrap_or("none"),
                serde_json::to_value(facts.libc)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                facts.user.as_deref().unwrap_or("root"),
            ));
            if let Some(distro) = &facts.distro
                && let Ok(value) = serde_json::to_value(distro)
            {
                text.push_str(&format!("\n- distro: `{value}`"));
            }
            if let Some(runtime) = &facts.runtime
                && let Ok(value) = serde_json::to_value(runtime)
            {
                text.push_str(&format!("\n- runtime: `{value}`"));
            }
            text.push_str(&format!("\n\nSource: {}", facts.source));
        }
        None => match model.family(stage) {
            Some(family) => text.push_str(&format!(
                "\n\nKnown by its family ({}); this tag is not in the catalogue.",
                family.family
            )),
            None => text.push_str("\n\nNot in the image catalogue."),
        },
    }
    text
}

/// Byte offsets to LSP positions (UTF-16 columns) and back.
struct LineIndex {
    /// The byte offset where each line starts.
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn position(&self, text: &str, offset: usize) -> Position {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let column: usize = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        Position::new(line as u32, column as u32)
    }

    fn range(&self, text: &str, span: Span) -> Range {
        Range::new(
            self.position(text, span.start),
            self.position(text, span.end),
        )
    }

    fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= position.character as usize || c == '\n' {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16() {
        let text = "FROM a\nLABEL x=\"é😀\" y=1\n";
        let index = LineIndex::new(text);
        let y = text.find("y=").unwrap();
        // é is one UTF-16 unit, 😀 two.
        assert_eq!(index.position(text, y), Position::new(1, 14));
        assert_eq!(index.position(text, 0), Position::new(0, 0));
        assert_eq!(index.position(text, text.len()), Position::new(2, 0));
        assert_eq!(index.offset(text, Position::new(1, 14)), y);
    }

    #[test]
    fn file_uris_become_paths() {
        let uri: Uri = "file:///tmp/a%20b/Dockerfile".parse().unwrap();
        assert_eq!(file_path(&uri), Some(PathBuf::from("/tmp/a b/Dockerfile")));
    }
}
