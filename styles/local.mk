# styles
