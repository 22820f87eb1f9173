//! The demo shop's behaviour, the same in every framework: what each route does to the session,
//! how its form is checked, and how the session is shown. A demo app only routes requests here
//! and turns the results into its framework's responses.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use session_core::{Session, SessionError};

/// The longest user or item name accepted, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// The largest quantity one form may add.
pub const MAX_QTY: u32 = 99;

const COUNT: &str = "count";
const USER: &str = "user";
const CART: &str = "cart";

/// One line of the cart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CartLine {
    /// What was added.
    pub item: String,
    /// How many, in total.
    pub qty: u32,
}

/// Everything the demo shows of a session, as `GET /api/session` serializes it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct View {
    /// How many times `POST /count` was called.
    pub count: u64,
    /// Who logged in, if anyone.
    pub user: Option<String>,
    /// The cart, in the order items were first added.
    pub cart: Vec<CartLine>,
    /// Pending flash messages.
    pub flash: Vec<String>,
}

impl View {
    /// The total quantity over the cart.
    pub fn total_qty(&self) -> u64 {
        self.cart.iter().map(|line| u64::from(line.qty)).sum()
    }
}

/// Whether showing the session consumes its flash messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flashes {
    /// Shown once, then gone (the page).
    Take,
    /// Listed and kept (the JSON API, which only reads).
    Keep,
}

/// A demo request failed.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    /// The form was invalid; the session was not touched.
    #[error("{0}")]
    BadInput(&'static str),
    /// The session failed.
    #[error(transparent)]
    Session(#[from] SessionError),
}

impl ShopError {
    /// The response status: 400 for bad input, the session error's own status otherwise.
    pub fn status(&self) -> u16 {
        match self {
            Self::BadInput(_) => 400,
            Self::Session(error) => error.http_status(),
        }
    }

    /// A one-line response body without internal details.
    pub fn message(&self) -> &'static str {
        match self {
            Self::BadInput(message) => message,
            Self::Session(error) => error.public_message(),
        }
    }
}

/// Reads the session for display.
pub async fn view(session: &Session, flashes: Flashes) -> Result<View, SessionError> {
    let flash = match flashes {
        Flashes::Take => session.take_flashes().await?,
        Flashes::Keep => session.flashes().await?,
    };
    Ok(View {
        count: session.get(COUNT).await?.unwrap_or(0),
        user: session.get(USER).await?,
        cart: session.get(CART).await?.unwrap_or_default(),
        flash,
    })
}

/// `POST /count`.
pub async fn count(session: &Session) -> Result<(), SessionError> {
    let count: u64 = session.get(COUNT).await?.unwrap_or(0);
    session.insert(COUNT, count.saturating_add(1)).await
}

/// `POST /login` with the form `user=NAME`: a new session id, the data kept, a welcome flash.
pub async fn log_in(session: &Session, form: &[u8]) -> Result<(), ShopError> {
    let user = name_field(form, USER, "user must be 1 to 64 characters")?;
    session.insert(USER, &user).await?;
    session.regenerate().await?;
    session.flash(format!("Welcome, {user}")).await?;
    Ok(())
}

/// `POST /logout`: the session ends.
pub async fn log_out(session: &Session) -> Result<(), SessionError> {
    session.destroy().await
}

/// `POST /cart` with the form `item=NAME&qty=N`: adds `N` to that item, keeping the order in
/// which items were first added.
pub async fn add_to_cart(session: &Session, form: &[u8]) -> Result<(), ShopError> {
    let item = name_field(form, "item", "item must be 1 to 64 characters")?;
    let qty = field(form, "qty")
        .and_then(|qty| qty.trim().parse::<u32>().ok())
        .filter(|qty| (1..=MAX_QTY).contains(qty))
        .ok_or(ShopError::BadInput("qty must be a whole number from 1 to 99"))?;
    let mut cart: Vec<CartLine> = session.get(CART).await?.unwrap_or_default();
    match cart.iter_mut().find(|line| line.item == item) {
        Some(line) => line.qty = line.qty.saturating_add(qty),
        None => cart.push(CartLine { item, qty }),
    }
    session.insert(CART, &cart).await?;
    Ok(())
}

/// The first value of `name` in a urlencoded form.
fn field(form: &[u8], name: &str) -> Option<String> {
    form_urlencoded::parse(form).find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

/// A trimmed, non-empty name of at most [`MAX_NAME_CHARS`] characters.
fn name_field(form: &[u8], name: &str, problem: &'static str) -> Result<String, ShopError> {
    let value = field(form, name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let chars = value.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return Err(ShopError::BadInput(problem));
    }
    Ok(value)
}

/// The view as the JSON body of `GET /api/session`.
pub fn json(view: &View) -> String {
    // A struct of strings and numbers always serializes.
    serde_json::to_string(view).unwrap_or_else(|_| String::from("{}"))
}

/// The page at `GET /`: the session and a form for every action, plain HTML.
pub fn page(view: &View) -> String {
    let mut html = String::from(PAGE_HEAD);
    for message in &view.flash {
        let _ = writeln!(html, "<p class=\"flash\">{}</p>", escape(message));
    }
    let _ = writeln!(html, "<h2>Visits</h2>\n<p>Count: <strong>{}</strong></p>", view.count);
    html.push_str(
        "<form method=\"post\" action=\"/count\"><button>Count one more</button></form>\n",
    );

    html.push_str("<h2>Account</h2>\n");
    match &view.user {
        Some(user) => {
            let _ = writeln!(html, "<p>Logged in as <strong>{}</strong>.</p>", escape(user));
            html.push_str(
                "<form method=\"post\" action=\"/logout\"><button>Log out</button></form>\n",
            );
        }
        None => html.push_str("<p>Not logged in.</p>\n"),
    }
    html.push_str(
        "<form method=\"post\" action=\"/login\">\n\
         <label>User <input name=\"user\" maxlength=\"64\" required></label>\n\
         <button>Log in</button>\n</form>\n",
    );

    html.push_str("<h2>Cart</h2>\n");
    if view.cart.is_empty() {
        html.push_str("<p>The cart is empty.</p>\n");
    } else {
        html.push_str("<table>\n<tr><th>Item</th><th>Quantity</th></tr>\n");
        for line in &view.cart {
            let _ = writeln!(html, "<tr><td>{}</td><td>{}</td></tr>", escape(&line.item), line.qty);
        }
        let _ = writeln!(html, "<tr><th>Total</th><th>{}</th></tr>\n</table>", view.total_qty());
    }
    html.push_str(
        "<form method=\"post\" action=\"/cart\">\n\
         <label>Item <input name=\"item\" maxlength=\"64\" required></label>\n\
         <label>Quantity <input name=\"qty\" type=\"number\" min=\"1\" max=\"99\" value=\"1\" required></label>\n\
         <button>Add to cart</button>\n</form>\n",
    );
    html.push_str("<p><a href=\"/api/session\">This session as JSON</a></p>\n</body>\n</html>\n");
    html
}

const PAGE_HEAD: &str = "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>Session demo</title>\n<style>\n\
body { font-family: sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; }\n\
.flash { background: #e8f4e8; border: 1px solid #8c8; padding: .5rem; }\n\
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: .25rem .75rem; text-align: left; }\n\
form { margin: .5rem 0; }\n</style>\n</head>\n<body>\n<h1>Session demo</h1>\n";

/// Escapes text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_are_checked_before_anything_is_read() {
        assert_eq!(name_field(b"user=ada", USER, "bad").unwrap(), "ada");
        assert_eq!(name_field(b"user=%20ada+", USER, "bad").unwrap(), "ada");
        assert!(name_field(b"user=", USER, "bad").is_err());
        assert!(name_field(b"other=ada", USER, "bad").is_err());
        assert!(name_field(format!("user={}", "é".repeat(64)).as_bytes(), USER, "bad").is_ok());
        assert!(name_field(format!("user={}", "a".repeat(65)).as_bytes(), USER, "bad").is_err());
    }

    #[test]
    fn the_page_escapes_what_users_typed() {
        let view = View {
            user: Some("<script>".into()),
            cart: vec![CartLine { item: "a&b".into(), qty: 2 }],
            flash: vec!["\"hi\"".into()],
            ..View::default()
        };
        let html = page(&view);
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains("a&amp;b") && html.contains("&quot;hi&quot;"));
        assert!(html.contains("<tr><th>Total</th><th>2</th></tr>"));
    }
}
