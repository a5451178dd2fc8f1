package e2e

// checkoutPrompt is what the checkout screen shows first.
const checkoutPrompt = "Cash given"
