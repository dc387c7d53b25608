"""Run the site's example snippets: isolated, time-limited, cached, figures captured."""
