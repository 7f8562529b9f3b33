"""Static content pages: about, data and attribution."""
