//! axum: a tower [`ClerkLayer`] that authenticates every request, extractors for the caller
//! ([`Auth`], `Option<Auth>`, [`MachineAuth`], [`RequestState`]), and a [`RequireLayer`]
//! that answers 403 to a caller without the permission (or role, feature, plan,
//! reverification) a route requires.
//!
//! A request without a caller is answered 401 with an RFC 6750 `WWW-Authenticate` header
//! and a JSON body naming Clerk's reason; [`ClerkLayer::rejection`] replaces the answer.
//! The layer works with `Router::layer` and `Router::route_layer`.
//!
//! ```no_run
//! use axum::{routing::get, Router};
//! use clerk_auth::axum::{ClerkLayer, RequireLayer};
//! use clerk_auth::{Auth, Requirement, Verifier};
//!
//! # fn app() -> Result<Router, clerk_auth::ConfigError> {
//! let verifier = clerk_auth::VerifierBuilder::from_env()
//!     .authorized_parties(["https://app.example.com"])
//!     .build()?;
//! let app = Router::new()
//!     .route("/invoices", get(|| async { "invoices" }))
//!     .route_layer(RequireLayer::new(Requirement::permission("org:invoices:read")))
//!     .route("/me", get(|auth: Auth| async move { auth.user_id().to_string() }))
//!     .layer(ClerkLayer::new(verifier));
//! # Ok(app)
//! # }
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::{header, request::Parts, HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use serde_json::json;

use crate::authorization::Requirement;
use crate::machine::MachineAuth;
use crate::request::RequestState;
use crate::session::Auth;
use crate::verifier::{Accepts, Verifier};

/// Turns a rejection into the answer a service wants instead of the default one.
type Answer = Arc<dyn Fn(&Rejection) -> Response<Body> + Send + Sync>;

/// What the layer leaves in a request's extensions.
#[derive(Clone)]
struct Authenticated {
    state: Arc<RequestState>,
    answer: Option<Answer>,
}

/// Authenticates every request with a [`Verifier`] and leaves the [`RequestState`] for
/// the extractors. Rejects nothing itself: the extractors and [`RequireLayer`] do.
#[derive(Clone)]
pub struct ClerkLayer {
    verifier: Verifier,
    accepts: Accepts,
    answer: Option<Answer>,
}

impl std::fmt::Debug for ClerkLayer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClerkLayer")
            .field("verifier", &self.verifier)
            .field("accepts", &self.accepts)
            .finish_non_exhaustive()
    }
}

impl ClerkLayer {
    /// A layer accepting session tokens.
    pub fn new(verifier: Verifier) -> Self {
        ClerkLayer {
            verifier,
            accepts: Accepts::SESSION,
            answer: None,
        }
    }

    /// The kinds of token accepted (machine tokens for a machine-only API, say).
    pub fn accepts(mut self, accepts: Accepts) -> Self {
        self.accepts = accepts;
        self
    }

    /// Answers rejections with `answer` instead of the default JSON.
    pub fn rejection(
        mut self,
        answer: impl Fn(&Rejection) -> Response<Body> + Send + Sync + 'static,
    ) -> Self {
        self.answer = Some(Arc::new(answer));
        self
    }
}

impl<S> tower::Layer<S> for ClerkLayer {
    type Service = ClerkService<S>;

    fn layer(&self, inner: S) -> ClerkService<S> {
        ClerkService {
            inner,
            layer: self.clone(),
        }
    }
}

/// The service [`ClerkLayer`] wraps around a route.
#[derive(Clone, Debug)]
pub struct ClerkService<S> {
    inner: S,
    layer: ClerkLayer,
}

type BoxFuture<T, E> = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

impl<S, B> tower::Service<Request<B>> for ClerkService<S>
where
    S: tower::Service<Request<B>> + Clone + Send + 'static,
    S::Future: Send,
    B: Send + 'static,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = BoxFuture<S::Response, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> Self::Future {
        // The clone that was made ready is the one to call.
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let layer = self.layer.clone();
        Box::pin(async move {
            let state = layer
                .verifier
                .authenticate_request(request.method(), request.headers(), layer.accepts)
                .await;
            request.extensions_mut().insert(Authenticated {
                state: Arc::new(state),
                answer: layer.answer,
            });
            inner.call(request).await
        })
    }
}

/// Why a request was not let through: what the extractors and [`RequireLayer`] reject
/// with. Its default answer is 401 (with `WWW-Authenticate`), 403 or, without the layer,
/// 500, each with a JSON body.
#[derive(Clone)]
pub struct Rejection {
    kind: RejectionKind,
    answer: Option<Answer>,
}

/// What a [`Rejection`] is for.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RejectionKind {
    /// No caller, or not the kind the route takes: Clerk's reason string.
    Unauthorized {
        /// Clerk's reason (`session-token-and-uat-missing`, `token-expired`, ...).
        reason: &'static str,
        /// Whether the request carried a token at all.
        token_presented: bool,
    },
    /// A caller without what the route requires.
    Forbidden(Requirement),
    /// The extractor ran on a route without [`ClerkLayer`].
    MissingLayer,
}

impl std::fmt::Debug for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.kind.fmt(f)
    }
}

impl Rejection {
    /// What it is for.
    pub fn kind(&self) -> &RejectionKind {
        &self.kind
    }

    /// The default answer, whatever the layer says.
    pub fn default_response(&self) -> Response<Body> {
        match &self.kind {
            RejectionKind::Unauthorized {
                reason,
                token_presented,
            } => {
                // RFC 6750: no error code when no credentials were presented.
                let challenge = if *token_presented {
                    format!("Bearer error=\"invalid_token\", error_description=\"{reason}\"")
                } else {
                    "Bearer".to_string()
                };
                let mut response = json_response(
                    StatusCode::UNAUTHORIZED,
                    json!({"error": "unauthorized", "reason": reason}),
                );
                if let Ok(value) = HeaderValue::from_str(&challenge) {
                    response
                        .headers_mut()
                        .insert(header::WWW_AUTHENTICATE, value);
                }
                response
            }
            RejectionKind::Forbidden(requirement) => {
                let body = match requirement.reverification {
                    Some(level) => level.forbidden_body(),
                    None => json!({"error": "forbidden"}),
                };
                json_response(StatusCode::FORBIDDEN, body)
            }
            RejectionKind::MissingLayer => json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({"error": "internal", "reason": "the route has no ClerkLayer"}),
            ),
        }
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> axum::response::Response {
        match &self.answer {
            Some(answer) => answer(&self),
            None => self.default_response(),
        }
    }
}

fn json_response(status: StatusCode, body: serde_json::Value) -> Response<Body> {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

fn authenticated(parts: &Parts) -> Result<&Authenticated, Rejection> {
    parts.extensions.get::<Authenticated>().ok_or(Rejection {
        kind: RejectionKind::MissingLayer,
        answer: None,
    })
}

/// The 401 for a request whose state is not the caller the extractor wants.
fn unauthorized(found: &Authenticated, parts: &Parts) -> Rejection {
    let reason = match found.state.reason() {
        Some(reason) => reason.as_str(),
        // A machine where a session is wanted, or the reverse.
        None => "token-type-mismatch",
    };
    Rejection {
        kind: RejectionKind::Unauthorized {
            reason,
            token_presented: crate::request::bearer_token(&parts.headers).is_some(),
        },
        answer: found.answer.clone(),
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestState {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Rejection> {
        Ok(RequestState::clone(&authenticated(parts)?.state))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Auth {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Rejection> {
        let found = authenticated(parts)?;
        match found.state.auth() {
            Some(auth) => Ok(auth.clone()),
            None => Err(unauthorized(found, parts)),
        }
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Auth {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Option<Self>, Rejection> {
        Ok(authenticated(parts)?.state.auth().cloned())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for MachineAuth {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Rejection> {
        let found = authenticated(parts)?;
        match found.state.machine() {
            Some(machine) => Ok(machine.clone()),
            None => Err(unauthorized(found, parts)),
        }
    }
}

/// Lets a request through only when its session meets a [`Requirement`]: 401 without a
/// session, 403 (Clerk's reverification body, when that is what is missing) without what
/// is required. Put it under [`ClerkLayer`], with `route_layer` for the routes it guards.
#[derive(Debug, Clone)]
pub struct RequireLayer {
    requirement: Arc<Requirement>,
}

impl RequireLayer {
    /// A guard for `requirement`.
    pub fn new(requirement: Requirement) -> Self {
        RequireLayer {
            requirement: Arc::new(requirement),
        }
    }
}

impl<S> tower::Layer<S> for RequireLayer {
    type Service = RequireService<S>;

    fn layer(&self, inner: S) -> RequireService<S> {
        RequireService {
            inner,
            requirement: self.requirement.clone(),
        }
    }
}

/// The service [`RequireLayer`] wraps around a route.
#[derive(Debug, Clone)]
pub struct RequireService<S> {
    inner: S,
    requirement: Arc<Requirement>,
}

impl<S, B> tower::Service<Request<B>> for RequireService<S>
where
    S: tower::Service<Request<B>, Response = Response<Body>> + Clone + Send + 'static,
    S::Future: Send,
    B: Send + 'static,
{
    type Response = Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<Response<Body>, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request<B>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let refused = self.check(request);
        match refused {
            Ok(request) => Box::pin(async move { inner.call(request).await }),
            Err(rejection) => Box::pin(async move { Ok(rejection.into_response()) }),
        }
    }
}

impl<S> RequireService<S> {
    /// The request, when its caller meets the requirement; the rejection otherwise.
    fn check<B>(&self, request: Request<B>) -> Result<Request<B>, Rejection> {
        let (parts, body) = request.into_parts();
        let found = authenticated(&parts)?;
        let auth = found
            .state
            .auth()
            .ok_or_else(|| unauthorized(found, &parts))?;
        if auth.has(&self.requirement) {
            return Ok(Request::from_parts(parts, body));
        }
        // Only the reverification missing: Clerk's body that asks for it.
        let mut missing = Requirement::clone(&self.requirement);
        let rest = Requirement {
            reverification: None,
            ..missing.clone()
        };
        if rest.is_empty() || auth.has(&rest) {
            missing = Requirement {
                reverification: missing.reverification,
                ..Requirement::default()
            };
        } else {
            missing.reverification = None;
        }
        Err(Rejection {
            kind: RejectionKind::Forbidden(missing),
            answer: found.answer.clone(),
        })
    }
}
