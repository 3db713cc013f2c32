window.cpAssets = {};
