//! `send()`, `send_with_headers()` and `.await` for every request builder: a builder names
//! its output and how its response body is decoded, and `sends!` writes the three, so that
//! no operation spells them out.

/// Writes a request builder's senders: `$decode` takes the response as received, a
/// decoder of the runtime's (`decode_json`, `decode_text`, ...) or, after `local`, the
/// module's own.
macro_rules! sends {
    ($builder:ident => $output:ty, local $decode:ident) => {
        sends!(@senders $builder => $output, $decode);
    };
    ($builder:ident => $output:ty, $decode:ident) => {
        sends!(@senders $builder => $output, $crate::engine::encoding::$decode);
    };
    (@senders $builder:ident => $output:ty, $decode:expr) => {
        impl<'a> $builder<'a> {
            /// Sends the request.
            #[inline]
            pub fn send(self) -> $crate::ResponseFuture<'a, $output> {
                let client = self.client;
                client.send_request(self.request(), $decode)
            }

            /// Sends the request, and keeps the response's status and headers with its body
            /// (a rotated token, a rate limit): see [`Response`]($crate::Response).
            #[inline]
            pub fn send_with_headers(self) -> $crate::ResponseFuture<'a, $crate::Response<$output>> {
                let client = self.client;
                client.send_request_with_headers(self.request(), $decode)
            }
        }

        impl<'a> std::future::IntoFuture for $builder<'a> {
            type Output = $crate::Result<$output>;
            type IntoFuture = $crate::ResponseFuture<'a, $output>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
    // An operation that answers with a redirect: the `Redirect` has the headers already.
    ($builder:ident => redirect) => {
        impl<'a> $builder<'a> {
            /// Sends the request.
            #[inline]
            pub fn send(self) -> $crate::ResponseFuture<'a, $crate::Redirect> {
                let client = self.client;
                client.send_redirect(self.request())
            }
        }

        impl<'a> std::future::IntoFuture for $builder<'a> {
            type Output = $crate::Result<$crate::Redirect>;
            type IntoFuture = $crate::ResponseFuture<'a, $crate::Redirect>;

            #[inline]
            fn into_future(self) -> Self::IntoFuture {
                self.send()
            }
        }
    };
}
